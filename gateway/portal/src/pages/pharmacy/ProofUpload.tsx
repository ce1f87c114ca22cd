import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, toApiError, unwrap } from '../../api/client';
import { ErrorMessage, Notice, TextArea } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { putWithProgress, sha256Hex } from '../../lib/upload';

type ContentType = 'image/jpeg' | 'image/png' | 'application/pdf';
const TYPES: ContentType[] = ['image/jpeg', 'image/png', 'application/pdf'];

interface Pending {
  file: File;
  preview: string | null;
  progress: number;
  fileId: string | null;
  error: string | null;
}

/**
 * Photo proof of dispensing: each file gets a signed upload URL, is PUT with a progress bar,
 * confirmed with its SHA-256, then the proof names the files. A file that failed can be retried
 * alone; one already confirmed is not sent again.
 */
export function ProofUpload({ orderId, onSubmitted }: { orderId: string; onSubmitted?(): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<Pending[]>([]);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  useEffect(() => () => files.forEach((f) => f.preview && URL.revokeObjectURL(f.preview)), [files]);

  const pick = (list: FileList | null) => {
    setDone(false);
    setFiles(
      [...(list ?? [])].map((file) => ({
        file,
        preview: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
        progress: 0,
        fileId: null,
        error: null,
      })),
    );
  };

  const patch = (i: number, p: Partial<Pending>) => setFiles((fs) => fs.map((f, j) => (j === i ? { ...f, ...p } : f)));

  const uploadOne = async (f: Pending, i: number): Promise<string> => {
    if (f.fileId) return f.fileId;
    patch(i, { error: null, progress: 0 });
    try {
      const contentType = TYPES.find((c) => c === f.file.type);
      if (!contentType) throw new Error(`${f.file.name}: ${f.file.type || 'unknown type'}`);
      const target = unwrap(
        await api.POST('/api/v1/files/upload-url', {
          body: { fileName: f.file.name, contentType, size: f.file.size, purpose: 'fulfillment_proof' },
        }),
      );
      await putWithProgress(target.uploadUrl, f.file, target.headers, (p) => patch(i, { progress: p }));
      unwrap(await api.POST('/api/v1/files/confirm', { body: { fileId: target.fileId, checksum: await sha256Hex(f.file) } }));
      patch(i, { fileId: target.fileId, progress: 1 });
      return target.fileId;
    } catch (e) {
      patch(i, { error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const ids = [];
      for (let i = 0; i < files.length; i++) ids.push(await uploadOne(files[i], i));
      const r = await api.POST('/api/v1/fulfillment-proofs', { body: { orderId, fileIds: ids, ...(notes.trim() && { notes: notes.trim() }) } });
      if (!r.data) throw toApiError(r.response, r.error);
      setDone(true);
      queryClient.invalidateQueries({ queryKey: ['orders'] });
      onSubmitted?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const failed = files.some((f) => f.error);
  return (
    <form className="card proof" onSubmit={submit} aria-labelledby="proof-title">
      <h2 id="proof-title">{t('proof')}</h2>
      <div className="field">
        <label htmlFor="proof-files">{t('proofFiles')}</label>
        <input id="proof-files" type="file" multiple accept={TYPES.join(',')} onChange={(e) => pick(e.target.files)} />
      </div>
      {files.length > 0 && (
        <ul className="previews">
          {files.map((f, i) => (
            <li key={f.file.name + i}>
              {f.preview ? <img src={f.preview} alt={f.file.name} width={120} /> : <span>{f.file.name}</span>}
              <label htmlFor={`progress-${i}`} className="sr-only">
                {t('uploadProgress', { name: f.file.name })}
              </label>
              <progress id={`progress-${i}`} max={1} value={f.progress} />
              {f.error && <span className="error">{f.error}</span>}
            </li>
          ))}
        </ul>
      )}
      <TextArea label={t('proofNotes')} value={notes} onChange={(e) => setNotes(e.target.value)} />
      <button type="submit" className="primary" disabled={!files.length || busy || done}>
        {failed ? t('retryUpload') : t('uploadProof')}
      </button>
      <ErrorMessage error={error} />
      {done && <Notice>{t('proofSubmitted')}</Notice>}
    </form>
  );
}
