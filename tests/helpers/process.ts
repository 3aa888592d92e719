import { spawn } from "node:child_process";

export type ServiceProcess = ReturnType<typeof startCommand>;

/**
 * Runs a FanPulse command in a process of its own (in a process group of its own when
 * `group`), with no DATABASE_URL unless given, and resolves `ready` with the URL it prints.
 */
function startCommand(command: string, args: string[], env: Record<string, string>, group = false) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", PORT: "0", ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(command, args, { env: childEnv, stdio: ["ignore", "pipe", "pipe"], detached: group });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const url = /FanPulse is ready: (\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  // A test that fails before stopping its process must not leave it running after the test run.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(group ? -child.pid! : child.pid!, "SIGKILL");
  };
  process.once("exit", killOnExit);
  void exited.then(() => process.removeListener("exit", killOnExit));
  return { child, ready, exited, output: () => output };
}

/** `fanpulse start` (or `worker`) from the sources, as one node process; `ready` gives the API's URL (the worker's /healthz). */
export const startProcess = (env: Record<string, string>, command: "start" | "worker" = "start") =>
  startCommand(process.execPath, ["--import", "tsx", "src/main.ts", command], env);

/** `npm start` exactly as a person runs it, in a process group of its own, as a terminal would make it. */
export const startNpm = (env: Record<string, string>) => startCommand("npm", ["start"], env, true);

export const post = (url: string, query: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) }).then(
    (r) => r.json() as Promise<{ data?: any; errors?: any[] }>,
  );
