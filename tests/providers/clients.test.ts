import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createDeezerProvider } from "../../src/providers/deezer.js";
import { ArtistNotFoundError, InvalidExternalIdError, ProviderUnavailableError } from "../../src/providers/provider.js";
import type { RateLimiter } from "../../src/providers/rate-limiter.js";
import { createSpotifyProvider } from "../../src/providers/spotify.js";
import { DEEZER_QUOTA_ERROR, startFakeDeezer, type FakeDeezer } from "../fakes/deezer.js";
import { SPOTIFY_CLIENT, startFakeSpotify, type FakeSpotify } from "../fakes/spotify.js";

const noLimit: RateLimiter = { acquire: async () => {} };
const common = { timeoutMs: 300, maxRetries: 2, limiter: noLimit, logger: createLogger("silent"), backoffMs: 10 };
const ID = "4Z8W4fKeB5YxbusRsdQVPb";
const OTHER = "0OdUWJ0sBjDrqHygGUXeCF";

describe("the Spotify client", () => {
  let fake: FakeSpotify;
  const spotify = () =>
    createSpotifyProvider({ ...common, apiUrl: fake.url, accountsUrl: fake.url, clientId: SPOTIFY_CLIENT.id, clientSecret: SPOTIFY_CLIENT.secret });
  beforeAll(async () => {
    fake = await startFakeSpotify();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.artists.clear();
    fake.artists.set(ID, { id: ID, name: "Radiohead", genres: ["art rock"], followers: 1_234_567, popularity: 79 });
    fake.artists.set(OTHER, { id: OTHER, name: "Dev Mode Artist", genres: [] });
  });
  afterAll(() => fake.close());

  it("gets a token once and reuses it for later calls", async () => {
    const client = spotify();
    const profile = await client.fetchArtist(ID);
    await client.fetchArtist(OTHER);
    expect(profile).toEqual({
      externalId: ID,
      name: "Radiohead",
      genres: ["art rock"],
      imageUrl: `https://i.scdn.co/image/${ID}-large`,
      url: `https://open.spotify.com/artist/${ID}`,
      metrics: { followers: 1_234_567, popularity: 79 },
    });
    expect(fake.tokenCalls()).toBe(1);
    expect(fake.artistCalls()).toBe(2);
  });

  it("shares one token request among concurrent calls, and renews a token Spotify no longer accepts", async () => {
    const client = spotify();
    await Promise.all([client.fetchArtist(ID), client.fetchArtist(OTHER), client.fetchArtist(ID)]);
    expect(fake.tokenCalls()).toBe(1);
    fake.tokens.clear();
    await expect(client.fetchArtist(ID)).resolves.toMatchObject({ name: "Radiohead" });
    expect(fake.tokenCalls()).toBe(2);
  });

  it("syncs an artist without followers or popularity (development-mode apps) with its metadata only", async () => {
    expect((await spotify().fetchArtist(OTHER)).metrics).toEqual({});
  });

  it("reports 404 as a missing artist and 400 as an invalid id, without retrying", async () => {
    await expect(spotify().fetchArtist("0000000000000000000000")).rejects.toBeInstanceOf(ArtistNotFoundError);
    await expect(spotify().fetchArtist("bad")).rejects.toBeInstanceOf(InvalidExternalIdError);
    expect(fake.artistCalls()).toBe(2);
  });

  it("reports a 429's Retry-After at once instead of sleeping through it, and succeeds when called again", async () => {
    fake.script(/^\/v1\/artists\//, { status: 429, headers: { "retry-after": "7" }, body: { error: { status: 429, message: "API rate limit exceeded" } } });
    const error = await spotify().fetchArtist(ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).retryAfterMs).toBe(7_000);
    expect(fake.artistCalls(ID)).toBe(1);
    await expect(spotify().fetchArtist(ID)).resolves.toMatchObject({ name: "Radiohead" });
  });

  it("gives up at once on an exhausted quota", async () => {
    fake.script(/^\/v1\/artists\//, { status: 429, headers: { "retry-after": "86400" }, body: { error: { status: 429, message: "quota" }, reason: "QUOTA_EXCEEDED" } });
    const error = await spotify().fetchArtist(ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).message).toMatch(/quota exceeded/);
    expect((error as ProviderUnavailableError).retryAfterMs).toBe(86_400_000);
    expect(fake.artistCalls()).toBe(1);
  });

  it("retries 5xx answers with backoff and succeeds when the server recovers", async () => {
    fake.script(/^\/v1\/artists\//, { status: 502, body: {} }, { status: 503, body: {} });
    await expect(spotify().fetchArtist(ID)).resolves.toMatchObject({ name: "Radiohead" });
    expect(fake.artistCalls()).toBe(3);
  });

  it("gives up as unavailable when the 5xx answers outlast the retries", async () => {
    fake.script(/^\/v1\/artists\//, { status: 500, body: {} }, { status: 500, body: {} }, { status: 500, body: {} });
    await expect(spotify().fetchArtist(ID)).rejects.toThrow(/server error 500 after 3 attempts/);
  });

  it("cuts a hanging answer at the timeout and retries", async () => {
    fake.script(/^\/v1\/artists\//, { hang: true });
    const started = Date.now();
    await expect(spotify().fetchArtist(ID)).resolves.toMatchObject({ name: "Radiohead" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(fake.artistCalls()).toBe(2);
  });

  it("reports wrong credentials clearly", async () => {
    const client = createSpotifyProvider({ ...common, apiUrl: fake.url, accountsUrl: fake.url, clientId: "wrong", clientSecret: "wrong" });
    await expect(client.fetchArtist(ID)).rejects.toThrow(/check SPOTIFY_CLIENT_ID/);
  });
});

describe("the Deezer client", () => {
  let fake: FakeDeezer;
  const deezer = () => createDeezerProvider({ ...common, apiUrl: fake.url, quotaWaitMs: 50 });
  beforeAll(async () => {
    fake = await startFakeDeezer();
    fake.artists.set(27, { id: 27, name: "Daft Punk", fans: 4_500_000 });
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  afterAll(() => fake.close());

  it("reads an artist and its fans", async () => {
    expect(await deezer().fetchArtist("27")).toEqual({
      externalId: "27",
      name: "Daft Punk",
      genres: [],
      imageUrl: "https://e-cdns-images.dzcdn.net/images/artist/27/1000x1000.jpg",
      url: "https://www.deezer.com/artist/27",
      metrics: { followers: 4_500_000 },
    });
  });

  it("reads error 800 inside an HTTP 200 as a missing artist, and refuses a non-numeric id without a call", async () => {
    await expect(deezer().fetchArtist("999")).rejects.toBeInstanceOf(ArtistNotFoundError);
    await expect(deezer().fetchArtist("abc")).rejects.toBeInstanceOf(InvalidExternalIdError);
    expect(fake.artistCalls()).toBe(1);
  });

  it("reports the quota error (code 4) inside an HTTP 200 with the window to wait (50 ms in this test)", async () => {
    fake.script(/^\/artist\//, DEEZER_QUOTA_ERROR);
    const error = await deezer().fetchArtist("27").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).retryAfterMs).toBe(50);
    expect(fake.artistCalls(27)).toBe(1);
  });

  it("searches artists by name", async () => {
    expect((await deezer().searchArtists("daft")).map((a) => a.name)).toEqual(["Daft Punk"]);
  });
});
