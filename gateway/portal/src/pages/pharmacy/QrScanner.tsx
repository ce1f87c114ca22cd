import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { qrReader } from './qr-reader';

/** @zxing/browser and @zxing/library load only when a pharmacist opens the camera or picks a photo (not in the initial bundle). */
async function loadReader() {
  const [{ BrowserCodeReader }, zxing] = await Promise.all([import('@zxing/browser'), import('@zxing/library')]);
  return new BrowserCodeReader(qrReader(zxing));
}

/** Reads a credential QR from the device camera or from a photo of it. */
export function QrScanner({ onScan }: { onScan(text: string): void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controls = useRef<{ stop(): void } | null>(null);

  useEffect(() => () => controls.current?.stop(), []);

  const start = async () => {
    setError(null);
    setRunning(true);
    try {
      const reader = await loadReader();
      controls.current = await reader.decodeFromVideoDevice(undefined, video.current!, (result) => {
        if (!result) return;
        controls.current?.stop();
        setRunning(false);
        onScan(result.getText());
      });
    } catch (e) {
      setRunning(false);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const stop = () => {
    controls.current?.stop();
    setRunning(false);
  };
  const fromPhoto = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    const url = URL.createObjectURL(file);
    try {
      onScan((await (await loadReader()).decodeFromImageUrl(url)).getText());
    } catch {
      setError(t('qrNotFound'));
    } finally {
      URL.revokeObjectURL(url);
    }
  };

  return (
    <div className="scanner">
      <div className="actions">
        {running ? (
          <button type="button" onClick={stop}>
            {t('stopCamera')}
          </button>
        ) : (
          <button type="button" onClick={start}>
            {t('scanCamera')}
          </button>
        )}
        <label className="button" htmlFor="qr-photo">
          {t('scanPhoto')}
        </label>
        <input id="qr-photo" className="sr-only" type="file" accept="image/*" capture="environment" onChange={(e) => fromPhoto(e.target.files?.[0])} />
      </div>
      <video ref={video} hidden={!running} aria-label={t('cameraVideo')} muted playsInline />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
