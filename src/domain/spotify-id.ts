import { ARTIST_ID } from "../providers/provider.js";
import { invalidArgument } from "./errors.js";

const URI = /^spotify:artist:([0-9A-Za-z]{22})$/;
const URL_PATH = /^\/(?:intl-[a-z]{2}(?:-[A-Za-z]{2})?\/)?artist\/([0-9A-Za-z]{22})\/?$/;

/**
 * The 22-character Spotify artist id in a bare id, a `spotify:artist:` URI or an
 * open.spotify.com artist URL (query string and locale prefix allowed).
 */
export function parseSpotifyArtistId(input: string, argument: string): string {
  const value = input.trim();
  if (ARTIST_ID.spotify.test(value)) return value;
  const uri = URI.exec(value);
  if (uri?.[1]) return uri[1];
  if (/^https?:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      const path = URL_PATH.exec(url.pathname);
      if (url.hostname === "open.spotify.com" && path?.[1]) return path[1];
    } catch {
      // An unparsable URL is reported below like any other malformed value.
    }
  }
  throw invalidArgument(
    argument,
    "must be a Spotify artist id (22 letters and digits), a spotify:artist: URI or an open.spotify.com/artist/ URL",
  );
}
