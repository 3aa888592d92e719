import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/api.js";

describe("bad input and missing credentials", () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi();
    ({ token } = await api.signUp());
  });
  afterAll(() => api.close());

  const TRACK = `mutation($id: String) { trackArtist(input: { spotifyId: $id }) { id } }`;

  it.each([
    ["an empty id", ""],
    ["a short id", "4Z8W4fKeB5Yxbus"],
    ["a track URL", "https://open.spotify.com/track/4Z8W4fKeB5YxbusRsdQVPb"],
    ["another site", "https://evil.example.com/artist/4Z8W4fKeB5YxbusRsdQVPb"],
    ["an album URI", "spotify:album:4Z8W4fKeB5YxbusRsdQVPb"],
    ["SQL", "'; DROP TABLE users; --"],
  ])("trackArtist refuses %s with BAD_USER_INPUT naming input.spotifyId", async (_what, id) => {
    const result = await api.graphql(TRACK, { id }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(/^input\.spotifyId: /);
  });

  it.each([
    ["myArtists", "{ myArtists { totalCount } }"],
    ["trackArtist", `mutation { trackArtist(input: { spotifyId: "4Z8W4fKeB5YxbusRsdQVPb" }) { id } }`],
    ["untrackArtist", `mutation { untrackArtist(artistId: "00000000-0000-0000-0000-000000000000") }`],
    ["updateTrackedArtist", `mutation { updateTrackedArtist(input: { artistId: "00000000-0000-0000-0000-000000000000", isFavorite: true }) { id } }`],
    ["refreshArtist", `mutation { refreshArtist(artistId: "00000000-0000-0000-0000-000000000000") }`],
  ])("%s without a token is UNAUTHENTICATED", async (_field, query) => {
    const result = await api.graphql(query);
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it.each([
    ["artist with a malformed id", `{ artist(id: "42") { id } }`, "BAD_USER_INPUT", /^id: /],
    ["artists with first over 100", `{ artists(first: 101) { totalCount } }`, "BAD_USER_INPUT", /^first: /],
    ["artists with a negative first", `{ artists(first: -1) { totalCount } }`, "BAD_USER_INPUT", /^first: /],
    ["artists with a forged cursor", `{ artists(after: "bm90IGEgY3Vyc29y") { totalCount } }`, "BAD_USER_INPUT", /^after: /],
    ["artists with an over-long search", `{ artists(search: "${"x".repeat(101)}") { totalCount } }`, "BAD_USER_INPUT", /^search: /],
    ["artistBySpotifyId with a bad id", `{ artistBySpotifyId(spotifyId: "nope") { id } }`, "BAD_USER_INPUT", /^spotifyId: /],
    ["myArtists with first over 100", `{ myArtists(first: 500) { totalCount } }`, "BAD_USER_INPUT", /^first: /],
    ["untrackArtist with a malformed id", `mutation { untrackArtist(artistId: "x") }`, "BAD_USER_INPUT", /^artistId: /],
    ["refreshArtist for an untracked artist", `mutation { refreshArtist(artistId: "00000000-0000-0000-0000-000000000000") }`, "NOT_FOUND", /^artistId: /],
    [
      "updateTrackedArtist for an untracked artist",
      `mutation { updateTrackedArtist(input: { artistId: "00000000-0000-0000-0000-000000000000", isFavorite: true }) { id } }`,
      "NOT_FOUND",
      /^input\.artistId: /,
    ],
  ])("%s is refused with its code and the argument's name", async (_what, query, code, message) => {
    const result = await api.graphql(query, {}, token);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it("refuses notes over the limit and keeps the old ones", async () => {
    const tracked = await api.graphql(`mutation { trackArtist(input: { spotifyId: "2CIMQHirSU0MQqyYHq0eOx" }) { artist { id } } }`, {}, token);
    const artistId = tracked.data?.trackArtist.artist.id;
    const update = `mutation($input: UpdateTrackedArtistInput!) { updateTrackedArtist(input: $input) { customNotes isFavorite } }`;
    await api.graphql(update, { input: { artistId, customNotes: "keep me" } }, token);
    const tooLong = await api.graphql(update, { input: { artistId, customNotes: "x".repeat(5001), isFavorite: true } }, token);
    expect(tooLong.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooLong.errors?.[0]?.message).toMatch(/^input\.customNotes: /);
    const after = await api.graphql(`query($id: ID!) { artist(id: $id) { viewerTracking { customNotes isFavorite } } }`, { id: artistId }, token);
    expect(after.data?.artist.viewerTracking).toEqual({ customNotes: "keep me", isFavorite: false });
  });

  it("refuses to link an account on a platform FanPulse cannot check", async () => {
    const tracked = await api.graphql(`mutation { trackArtist(input: { spotifyId: "2CIMQHirSU0MQqyYHq0eOx" }) { artist { id } } }`, {}, token);
    const result = await api.graphql(
      `mutation($id: ID!) { linkPlatformAccount(input: { artistId: $id, platform: INSTAGRAM, externalId: "someone" }) { id } }`,
      { id: tracked.data?.trackArtist.artist.id },
      token,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(/^input\.platform: /);
  });

  it("keeps the server up and hides internals when a request is malformed", async () => {
    const malformed = await api.graphql("{ artists(first: ", {});
    expect(malformed.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect((await api.graphql("{ __typename }")).data).toEqual({ __typename: "Query" });
  });
});
