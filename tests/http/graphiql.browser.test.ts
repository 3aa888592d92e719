/// <reference lib="dom" />
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];

/** Debian's Chromium, installed with apt-get when it is missing and we may; null with a reason otherwise. */
function findChromium(): { path: string } | { reason: string } {
  const found = () => CANDIDATES.find((path) => existsSync(path));
  let path = found();
  if (!path && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env, timeout: 180_000 });
      execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "ignore", env, timeout: 300_000 });
    } catch (error) {
      return { reason: `Chromium is not installed and apt-get could not install it (${(error as Error).message.split("\n")[0]})` };
    }
    path = found();
  }
  return path ? { path } : { reason: "Chromium is not installed (looked for CHROMIUM_PATH, /usr/bin/chromium) and cannot be installed here" };
}

const browserSetup = findChromium();
if ("reason" in browserSetup) console.warn(`Skipping the GraphiQL browser test: ${browserSetup.reason}`);

describe.skipIf("reason" in browserSetup)("GraphiQL in a real browser", () => {
  let api: TestApi;
  let browser: Browser;
  beforeAll(async () => {
    api = await startTestApi();
    browser = await chromium.launch({
      executablePath: (browserSetup as { path: string }).path,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it("loads from this server alone, runs a query with an Authorization header, and shows the result", async () => {
    const { token } = await api.signUp("browser@example.com");
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(api.url).origin;
    const elsewhere: string[] = [];
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(origin)) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });
    await page.goto(`${origin}/graphiql`);
    await page.waitForSelector(".graphiql-query-editor .CodeMirror");
    // The first example operation is preloaded in the first tab.
    expect(await page.locator(".graphiql-query-editor").innerText()).toContain("mutation SignIn");

    await page.evaluate(
      ({ query, headers }) => {
        const editors = Array.from(document.querySelectorAll(".CodeMirror")) as (Element & { CodeMirror: { setValue(v: string): void } })[];
        editors.find((e) => e.closest(".graphiql-query-editor"))!.CodeMirror.setValue(query);
        editors.find((e) => e.closest(".graphiql-editor-tool") && !e.closest(".hidden"))!.CodeMirror.setValue(headers);
      },
      { query: "query Me { me { email } serviceInfo { simulatedData } }", headers: JSON.stringify({ Authorization: `Bearer ${token}` }) },
    );
    // GraphiQL reads the operation's name a moment after the text changes; run it once the tab shows it.
    await page.waitForFunction(() => document.querySelector(".graphiql-tab-active")?.textContent?.startsWith("Me"));
    await page.click(".graphiql-execute-button");
    mkdirSync("tests/artifacts", { recursive: true });
    try {
      await page.waitForFunction(() => document.querySelector(".graphiql-response")?.textContent?.includes("browser@example.com"), null, { timeout: 15_000 });
    } catch (error) {
      await page.screenshot({ path: "tests/artifacts/graphiql-failed.png" });
      throw new Error(`GraphiQL showed no result: ${await page.locator(".graphiql-response").innerText()}`, { cause: error });
    }
    const result = await page.locator(".graphiql-response").innerText();
    expect(result).toContain('"email": "browser@example.com"');
    expect(result).toContain('"simulatedData": false');
    await page.screenshot({ path: "tests/artifacts/graphiql.png" });
    expect(elsewhere).toEqual([]);
  });
});
