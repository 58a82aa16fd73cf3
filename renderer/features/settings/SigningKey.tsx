import { useId } from 'react';
import { pemBundle, type KeyExport } from '../../../shared/calls/keys';
import { useAction } from '../../app/queries';
import { keysFr as t } from '../../i18n/keys';

/** Hands the PEM bundle to the browser as a file download (a Blob and a link clicked once). */
function download(exported: KeyExport): void {
  const url = URL.createObjectURL(new Blob([pemBundle(exported)], { type: 'application/x-pem-file' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = exported.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Réglages → Clé de signature: the key id, and the public key with its self-signed certificate as a .pem file. */
export function SigningKey() {
  const exportKey = useAction('keys.export');
  const titleId = useId();
  const exported = exportKey.data;
  return (
    <section aria-labelledby={titleId} className="signing-key">
      <h2 id={titleId}>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      <dl className="facts">
        <dt>{t.keyId}</dt>
        <dd data-testid="signing-key-id">{exported === undefined ? t.keyIdUnknown : exported.keyId}</dd>
      </dl>
      <div className="form__actions">
        <button type="button" disabled={exportKey.isPending} onClick={() => exportKey.mutate({}, { onSuccess: download })}>
          {exportKey.isPending ? t.exporting : t.export}
        </button>
        <span role="status" className="form__status">
          {exportKey.isSuccess ? t.exported(exportKey.data.fileName) : ''}
        </span>
      </div>
      {exportKey.isError ? <p role="alert">{exportKey.error.message}</p> : null}
    </section>
  );
}
