import postgres from "postgres";

/**
 * A read-only session on the legacy database: every transaction is READ ONLY, so the import
 * cannot write there even by mistake. Its timestamps are naive UTC.
 */
export function openLegacy(url: string) {
  return postgres(url, {
    max: 2,
    onnotice: () => {},
    connection: { application_name: "fanpulse-legacy-import", default_transaction_read_only: true },
  });
}

export type Legacy = ReturnType<typeof openLegacy>;

/** Timestamps are read as ISO text with microseconds (a JS Date would drop them) and written back as timestamptz. */
export type LegacyUser = { id: string; email: string; hashed_password: string; created_at: string; updated_at: string | null; key: string };

export type LegacyArtist = {
  id: string;
  user_id: string;
  spotify_id: string | null;
  instagram_id: string | null;
  youtube_id: string | null;
  apple_music_id: string | null;
  tiktok_id: string | null;
  twitter_id: string | null;
  facebook_id: string | null;
  name: string;
  genre: string | null;
  image_url: string | null;
  created_at: string;
  updated_at: string | null;
  key: string;
};

export type LegacyConnection = {
  id: string;
  artist_id: string;
  artist_spotify_id: string | null;
  platform_type: string;
  platform_artist_id: string;
  platform_username: string | null;
  has_tokens: boolean;
  connected_at: string;
  key: string;
};
