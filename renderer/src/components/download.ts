import type { QueryOutput } from '../../../main/core/api';

/** Saves an exported report as a file the browser downloads (base64 for PDF, text for Markdown). */
export function downloadExport(file: QueryOutput<'handover.export'>): void {
  const bytes = file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(file.content);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started; the URL is released a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
