import { describe, expect, it } from "vitest";
import { parseLegacyOptions } from "../../src/legacy/command.js";

describe("npm run import-legacy options", () => {
  it("reads --from, --dry-run, --batch-size and --report", () => {
    expect(parseLegacyOptions(["--from", "postgres://u:p@db:5432/legacy", "--dry-run", "--batch-size", "100", "--report", "r.json"])).toEqual({
      from: "postgres://u:p@db:5432/legacy",
      dryRun: true,
      batchSize: 100,
      reportFile: "r.json",
    });
    expect(parseLegacyOptions(["--from", "postgresql://db/legacy"])).toMatchObject({ dryRun: false, batchSize: 500 });
  });

  it.each([
    [[], /^--from: /],
    [["--from", "mysql://db/legacy"], /^--from: /],
    [["--from", "postgres://db/x", "--batch-size", "0"], /^--batch-size: /],
    [["--from", "postgres://db/x", "--force"], /force/],
  ])("refuses %o naming the option", (argv, message) => {
    expect(() => parseLegacyOptions(argv)).toThrow(message);
  });
});
