import { useId, useRef, useState } from 'react';
import { pemBundle, type KeyExport } from '../../../shared/calls/keys';
import { useAction } from '../../app/queries';
import { downloadFile } from '../../components/download';
import { keysFr as t } from '../../i18n/keys';

const download = (exported: KeyExport) => downloadFile(exported.fileName, pemBundle(exported), 'application/x-pem-file');

/**
 * « Changer de clé de signature… »: what it means said first, then « Confirmer le changement »
 * or « Annuler » (Échap too); the focus goes back to the button that opened it.
 */
function RotateKey({ onRotated }: { onRotated: (keyId: string) => void }) {
  const rotate = useAction('keys.rotate');
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const close = () => {
    setOpen(false);
    requestAnimationFrame(() => opener.current?.focus());
  };
  if (!open) {
    return (
      <div className="form__actions">
        <button ref={opener} type="button" onClick={() => setOpen(true)}>
          {t.rotate.open}
        </button>
        <span role="status" className="form__status">
          {rotate.isSuccess ? t.rotate.done(rotate.data.keyId) : ''}
        </span>
      </div>
    );
  }
  return (
    <div
      role="group"
      aria-labelledby={titleId}
      className="signing-key__rotate"
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <h3 id={titleId}>{t.rotate.title}</h3>
      <p>{t.rotate.explain}</p>
      <div className="form__actions">
        <button
          type="button"
          autoFocus
          disabled={rotate.isPending}
          onClick={() =>
            rotate.mutate(
              { confirm: true },
              {
                onSuccess: (rotated) => {
                  onRotated(rotated.keyId);
                  close();
                },
              },
            )
          }
        >
          {rotate.isPending ? t.rotate.rotating : t.rotate.confirm}
        </button>
        <button type="button" onClick={close}>
          {t.rotate.keep}
        </button>
      </div>
      {rotate.isError ? <p role="alert">{rotate.error.message}</p> : null}
    </div>
  );
}

/** Réglages → Clé de signature: the key id, the public key with its self-signed certificate as a .pem file, the change of key. */
export function SigningKey() {
  const exportKey = useAction('keys.export');
  const titleId = useId();
  const [rotatedTo, setRotatedTo] = useState<string | null>(null);
  const keyId = rotatedTo ?? exportKey.data?.keyId;
  return (
    <section aria-labelledby={titleId} className="signing-key">
      <h2 id={titleId}>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      <dl className="facts">
        <dt>{t.keyId}</dt>
        <dd data-testid="signing-key-id">{keyId ?? t.keyIdUnknown}</dd>
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
      <RotateKey
        onRotated={(id) => {
          setRotatedTo(id);
          exportKey.reset();
        }}
      />
    </section>
  );
}
