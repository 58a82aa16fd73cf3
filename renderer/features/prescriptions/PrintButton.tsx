import { useAction } from '../../app/queries';
import { bytesOfBase64, downloadFile } from '../../components/download';
import { prescriptionsFr } from '../../i18n/prescriptions';

const t = prescriptionsFr.print;

/**
 * « Imprimer l’ordonnance »: the PDF made from what was signed. In the app the OS print dialog
 * opens on it (a copy is kept in the data folder); in a browser it downloads, to print from there.
 */
export function PrintButton({ id }: { id: number }) {
  const print = useAction('prescriptions.print');
  return (
    <div className="form__actions rx-print">
      <button
        type="button"
        data-action="print"
        disabled={print.isPending}
        onClick={() =>
          print.mutate(
            { id },
            {
              onSuccess: (made) => {
                if (!made.printed) downloadFile(made.fileName, bytesOfBase64(made.contentBase64), 'application/pdf');
              },
            },
          )
        }
      >
        {print.isPending ? t.printing : t.button}
      </button>
      <span role="status" className="form__status">
        {print.isSuccess ? (print.data.printed ? t.printed(print.data.savedAs) : t.downloaded(print.data.fileName)) : ''}
      </span>
      {print.isError ? <p role="alert">{t.failed(print.error.message)}</p> : null}
    </div>
  );
}
