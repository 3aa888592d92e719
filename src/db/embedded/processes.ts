import { readdirSync, readFileSync } from "node:fs";

/**
 * A process's fields in /proc/<pid>/stat after its command name (in parentheses, and it may hold
 * spaces): [1] is its parent, [11] and [12] its user and system CPU time in ticks. Null once it has
 * ended.
 */
export function processStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** A postmaster and its backends (each backend is in a session of its own, so a group signal misses them). */
export function serverProcesses(postmaster: number): number[] {
  const children = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => Number(processStat(pid)?.[1]) === postmaster);
  return [postmaster, ...children];
}
