import { readFileSync } from "node:fs";
import { buildSchema, findBreakingChanges } from "graphql";
import { describe, expect, it } from "vitest";
import { buildFanPulseSchema, printFanPulseSchema } from "../../src/graphql/schema.js";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("the GraphQL schema", () => {
  it("is what schema.graphql says (run `npm run schema:emit` after changing it)", async () => {
    expect(printFanPulseSchema(await buildFanPulseSchema())).toBe(read("../../schema.graphql"));
  });

  it("breaks nothing of the frontend's contract", async () => {
    const breaking = findBreakingChanges(buildSchema(read("./contract.graphql")), await buildFanPulseSchema());
    expect(breaking.map((change) => change.description)).toEqual([]);
  });
});
