/**
 * "导入数据 / Import data" for admins: choose an OpenStreetMap extract, a facility
 * register (CSV/XLSX/GeoJSON), a population table or a GeoTIFF; the server checks it
 * (dry run: rows, rejections with reasons), the admin confirms, and watches the progress.
 * The same importer as `npm run import` (docs/importing.md); API in docs/security.md.
 */
import { useEffect, useState } from 'react';
import { useAtlas } from '../store';
import { request } from '../http';
import { useTools } from './tools';
import './tools.css';
import { formatMessage } from '../messageFormat';
import { ToolPanelHead } from './ToolPanelHead';

const TEXT = {
  zh: {
    title: '导入数据',
    close: '关闭',
    intro: '上传 OpenStreetMap 数据（.osm.pbf/.osm）、设施名册（CSV/XLSX/GeoJSON）、人口表或 GeoTIFF。先检查，不写入；确认后才导入。',
    file: '文件',
    crs: '坐标系',
    check: '检查（不写入）',
    confirm: '确认导入',
    again: '导入另一个文件',
    uploading: '正在上传…',
    queued: '排队中…',
    running: '处理中',
    checked: '检查完成，尚未写入',
    imported: '已导入',
    failed: '未导入',
    read: '读取',
    inserted: '新增',
    updated: '更新',
    unchanged: '未变',
    rejected: '拒绝',
    edges: '路网边',
    rejections: '被拒绝的行及原因',
    row: '第 {n} 行',
    backup: '导入前已备份：{file}',
    snapshot: '指标快照：{s}',
    adminOnly: '只有管理员可以导入数据。',
    error: '出错了：{message}',
  },
  en: {
    title: 'Import data',
    close: 'Close',
    intro:
      'Upload an OpenStreetMap extract (.osm.pbf/.osm), a facility register (CSV/XLSX/GeoJSON), a population table or a GeoTIFF. It is checked first, nothing written; it is imported only when you confirm.',
    file: 'File',
    crs: 'Coordinates',
    check: 'Check (write nothing)',
    confirm: 'Confirm import',
    again: 'Import another file',
    uploading: 'Uploading…',
    queued: 'Queued…',
    running: 'Working',
    checked: 'Checked: nothing written yet',
    imported: 'Imported',
    failed: 'Not imported',
    read: 'read',
    inserted: 'inserted',
    updated: 'updated',
    unchanged: 'unchanged',
    rejected: 'rejected',
    edges: 'network edges',
    rejections: 'Rejected rows and why',
    row: 'row {n}',
    backup: 'Backed up before importing: {file}',
    snapshot: 'Indicator snapshot: {s}',
    adminOnly: 'Only admins can import data.',
    error: 'Something went wrong: {message}',
  },
} as const;

interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { phase: string; done: number; total: number } | null;
  message: string | null;
  backup: { file: string } | null;
  snapshot: string | null;
  options: { dryRun?: boolean };
  summary: {
    read: number;
    inserted: number;
    updated: number;
    unchanged: number;
    rejected: number;
    kinds: string[];
    network?: { edges: { inserted: number; updated: number } };
    rejections: { row: number | null; source_id?: string | null; reason: string }[];
  } | null;
}

const CRS = ['', 'wgs84', 'gcj02', 'bd09', 'cgcs2000'] as const;

export default function ImportPanel({ onClose }: { onClose: () => void }) {
  const lang = useAtlas((s) => s.lang);
  const user = useTools((s) => s.user);
  const T = TEXT[lang];
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<(typeof CRS)[number]>('');
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // follow the job until it ends (and its indicator snapshot, if any)
  useEffect(() => {
    if (!job || (job.status !== 'queued' && job.status !== 'running' && job.snapshot !== 'computing')) return;
    const timer = setTimeout(() => {
      request<Job>('GET', `/api/admin/imports/${job.id}`).then(setJob, (e: unknown) =>
        setError(formatMessage(lang, T.error, { message: e instanceof Error ? e.message : String(e) })),
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [job, lang, T.error]);

  const check = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      // 202 Accepted: the job runs on; its state is polled below
      setJob(
        await request<Job>('POST', '/api/admin/imports', {
          params: { name: file.name, dryRun: 'true', crs: crs || undefined },
          body: file,
        }),
      );
    } catch (e) {
      setError(formatMessage(lang, T.error, { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!job) return;
    setError(null);
    try {
      setJob(await request<Job>('POST', `/api/admin/imports/${job.id}/confirm`));
    } catch (e) {
      setError(formatMessage(lang, T.error, { message: e instanceof Error ? e.message : String(e) }));
    }
  };

  const s = job?.summary;
  const finished = job && (job.status === 'done' || job.status === 'failed');
  const dry = job?.options.dryRun;
  return (
    <section className="tool-panel" role="dialog" aria-labelledby="import-heading" data-map-overlay data-tool="import">
      <ToolPanelHead id="import-heading" title={T.title} closeLabel={T.close} onClose={onClose} />
      {user?.role !== 'admin' ? (
        <p className="tool-muted">{T.adminOnly}</p>
      ) : (
        <>
          <p className="tool-muted">{T.intro}</p>
          <label className="tool-inline">
            <span>{T.file}</span>
            <input
              type="file"
              accept=".pbf,.osm,.gz,.json,.geojson,.csv,.tsv,.txt,.xlsx,.xlsm,.tif,.tiff"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <label className="tool-inline">
            <span>{T.crs}</span>
            <select value={crs} onChange={(e) => setCrs(e.target.value as (typeof CRS)[number])}>
              {CRS.map((c) => (
                <option key={c} value={c}>
                  {c === '' ? (lang === 'zh' ? '自动' : 'auto') : c.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <p>
            <button type="button" className="button" disabled={!file || busy || (!!job && !finished)} onClick={() => void check()}>
              {busy ? T.uploading : job && finished && !dry ? T.again : T.check}
            </button>
          </p>
        </>
      )}
      {error && (
        <p className="tool-error" role="alert">
          {error}
        </p>
      )}
      {job && (
        <div aria-live="polite" data-import-status={job.status}>
          {!finished && (
            <p>
              {job.status === 'queued' ? T.queued : `${T.running}: ${job.progress?.phase ?? ''}`}
              {job.progress && job.progress.total > 0 && (
                <progress max={job.progress.total} value={Math.min(job.progress.done, job.progress.total)} style={{ width: '100%' }} />
              )}
            </p>
          )}
          {finished && (
            <p>
              <strong>{job.status === 'failed' ? T.failed : dry ? T.checked : T.imported}</strong>
              {job.message && <span> — {job.message}</span>}
            </p>
          )}
          {s && (
            <p className="tool-muted">
              {T.read} {s.read} · {T.inserted} {s.inserted} · {T.updated} {s.updated} · {T.unchanged} {s.unchanged} · {T.rejected}{' '}
              {s.rejected}
              {s.network && ` · ${T.edges} +${s.network.edges.inserted}`}
            </p>
          )}
          {s && s.rejections.length > 0 && (
            <details open={s.rejections.length <= 10}>
              <summary>
                {T.rejections} ({s.rejected})
              </summary>
              <ul>
                {s.rejections.slice(0, 50).map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed report list rendered once per job; rows may repeat, so no field is a key
                  <li key={i}>
                    {r.row !== null ? formatMessage(lang, T.row, { n: r.row }) : (r.source_id ?? '')}: {r.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {job.backup && <p className="tool-muted">{formatMessage(lang, T.backup, { file: job.backup.file.split('/').pop() ?? '' })}</p>}
          {job.snapshot && <p className="tool-muted">{formatMessage(lang, T.snapshot, { s: job.snapshot })}</p>}
          {finished && dry && job.status === 'done' && (
            <p>
              <button type="button" className="button" id="import-confirm" onClick={() => void confirm()}>
                {T.confirm}
              </button>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
