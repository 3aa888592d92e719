/** What happened to every row the import read, table by table; nothing leaves without a line here. */
export type TableReport = {
  read: number;
  /** Written as new FanPulse rows. */
  imported: number;
  /** Joined to a row FanPulse already had (a shared artist, an account, a day's value). */
  merged: number;
  /** Written by an earlier run of the import: nothing to do. */
  alreadyImported: number;
  skipped: { id: string; reason: string }[];
};

export type ImportReport = {
  dryRun: boolean;
  tables: {
    users: TableReport;
    artists: TableReport;
    artistPlatformIds: TableReport;
    platformConnections: TableReport;
    streamHistory: TableReport;
  };
  /** Rows imported with a change worth knowing (an id that could not be kept, say). */
  notes: string[];
  droppedOAuthTokens: number;
  monthlyListenersNotImported: number;
};

export const emptyTable = (): TableReport => ({ read: 0, imported: 0, merged: 0, alreadyImported: 0, skipped: [] });

export function emptyReport(dryRun: boolean): ImportReport {
  return {
    dryRun,
    tables: {
      users: emptyTable(),
      artists: emptyTable(),
      artistPlatformIds: emptyTable(),
      platformConnections: emptyTable(),
      streamHistory: emptyTable(),
    },
    notes: [],
    droppedOAuthTokens: 0,
    monthlyListenersNotImported: 0,
  };
}

const TITLES: Record<keyof ImportReport["tables"], string> = {
  users: "users",
  artists: "artists (each row: a tracking link of its user)",
  artistPlatformIds: "artists' platform ids (spotify_id, instagram_id, ...)",
  platformConnections: "platform_connections",
  streamHistory: "stream_history (captures; one FOLLOWERS value per account and UTC day is kept)",
};

export function formatReport(report: ImportReport): string {
  const lines = [report.dryRun ? "Legacy import report (DRY RUN: nothing was written)" : "Legacy import report", ""];
  lines.push("table | read | imported | merged | already imported | skipped");
  for (const [key, t] of Object.entries(report.tables) as [keyof ImportReport["tables"], TableReport][]) {
    lines.push(`${TITLES[key]} | ${t.read} | ${t.imported} | ${t.merged} | ${t.alreadyImported} | ${t.skipped.length}`);
  }
  lines.push("", `OAuth tokens not carried over: ${report.droppedOAuthTokens} platform connections had access or refresh tokens.`);
  lines.push(`monthly_listeners not imported (legacy estimates, not measurements): ${report.monthlyListenersNotImported} captures had a value.`);
  for (const [key, t] of Object.entries(report.tables) as [keyof ImportReport["tables"], TableReport][]) {
    if (t.skipped.length === 0) continue;
    lines.push("", `Skipped from ${TITLES[key]}:`);
    for (const s of t.skipped) lines.push(`  ${s.id}: ${s.reason}`);
  }
  if (report.notes.length) lines.push("", "Notes:", ...report.notes.map((n) => `  ${n}`));
  return lines.join("\n");
}
