import { startFakeDeezer, type FakeDeezer } from "../fakes/deezer.js";
import { startFakeMusicBrainz, type FakeMusicBrainz } from "../fakes/musicbrainz.js";
import { SPOTIFY_CLIENT, startFakeSpotify, type FakeSpotify } from "../fakes/spotify.js";

export type LivePlatforms = { spotify: FakeSpotify; deezer: FakeDeezer; musicBrainz: FakeMusicBrainz; env: Record<string, string>; close: () => Promise<void> };

/** Fake Spotify, Deezer and MusicBrainz servers, and the settings that point the real clients at them. */
export async function startLivePlatforms(): Promise<LivePlatforms> {
  const spotify = await startFakeSpotify();
  const deezer = await startFakeDeezer();
  const musicBrainz = await startFakeMusicBrainz();
  return {
    spotify,
    deezer,
    musicBrainz,
    env: {
      PROVIDERS: "live",
      SPOTIFY_CLIENT_ID: SPOTIFY_CLIENT.id,
      SPOTIFY_CLIENT_SECRET: SPOTIFY_CLIENT.secret,
      SPOTIFY_API_URL: spotify.url,
      SPOTIFY_ACCOUNTS_URL: spotify.url,
      DEEZER_API_URL: deezer.url,
      MUSICBRAINZ_API_URL: musicBrainz.url,
      MUSICBRAINZ_RATE_LIMIT: "1000",
      PROVIDER_TIMEOUT_MS: "1000",
      PROVIDER_MAX_RETRIES: "0",
      SPOTIFY_RATE_LIMIT: "1000",
      DEEZER_RATE_LIMIT: "1000",
    },
    close: async () => {
      await spotify.close();
      await deezer.close();
      await musicBrainz.close();
    },
  };
}
