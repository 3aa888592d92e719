import { getMetadataStorage } from "type-graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFanPulseSchema } from "../../src/graphql/schema.js";

/** What anyone may call without signing in; everything else needs a signed-in caller. */
const PUBLIC_ROOT_FIELDS = ["me", "serviceInfo", "signIn", "signUp"];

describe("private by default", () => {
  beforeAll(async () => {
    await buildFanPulseSchema();
  });

  it("guards every query and mutation but the public few, so a new one cannot forget it", () => {
    const storage = getMetadataStorage();
    const roots = [...storage.queries, ...storage.mutations];
    const unguarded = roots.filter((field) => field.roles === undefined).map((field) => field.schemaName);
    expect(unguarded.sort()).toEqual(PUBLIC_ROOT_FIELDS);
    expect(roots.length).toBeGreaterThan(PUBLIC_ROOT_FIELDS.length);
  });
});
