import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An answer a test scripts for the next request: as given, or one that never comes. */
export type Scripted =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { hang: true }
  /** The usual answer, late. */
  | { lateBy: number }
  /** The usual answer, once the test lets it go: for "while a call is in flight" without guessing a delay. */
  | { heldUntil: Promise<unknown> };

export type FakeServer = {
  url: string;
  /** Answers for the next requests whose path matches, used once each, before the normal ones. */
  script: (pathPattern: RegExp, ...answers: Scripted[]) => void;
  requests: { method: string; path: string; headers: IncomingMessage["headers"] }[];
  close: () => Promise<void>;
};

export type Handler = (request: IncomingMessage, path: string, body: string) => { status: number; body: unknown; headers?: Record<string, string> };

/** A local HTTP server answering like a real API, with scripted errors, 429s and hangs on top. */
export async function startFakeServer(handle: Handler): Promise<FakeServer> {
  const scripts: { pattern: RegExp; answer: Scripted }[] = [];
  const requests: FakeServer["requests"] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      requests.push({ method: req.method ?? "GET", path, headers: req.headers });
      const index = scripts.findIndex((s) => s.pattern.test(path));
      const scripted = index >= 0 ? scripts.splice(index, 1)[0]!.answer : null;
      if (scripted && "hang" in scripted) {
        hanging.add(res);
        return;
      }
      const answer = scripted && "status" in scripted ? scripted : { ...handle(req, path, body), delayMs: scripted && "lateBy" in scripted ? scripted.lateBy : undefined };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
      };
      if (scripted && "heldUntil" in scripted) {
        hanging.add(res);
        void scripted.heldUntil.finally(send);
      } else if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    script: (pattern, ...answers) => scripts.push(...answers.map((answer) => ({ pattern, answer }))),
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
