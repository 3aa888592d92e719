import { and, asc, eq, exists, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { isAnyOf } from "../db/pg-array.js";
import type { Database, Executor } from "../db/client.js";
import { artistMomentum, globalArtists, platformAccounts, userArtists, type GlobalArtistRow, type Platform, type PlatformAccountRow, type UserArtistRow } from "../db/schema.js";
import { invalidArgument } from "./errors.js";
import { MODEL_VERSION } from "./momentum/v1.js";
import { decodeCursor, pageSize, timestampCursor, toPage, type Page, type PageArgs } from "./pagination.js";
import { parseSpotifyArtistId } from "./spotify-id.js";

export const SEARCH_MAX = 100;

const searchKey = (value: SQLWrapper | string) => sql`fanpulse_search_key(${value})`;

/** The artist that owns the account (platform, external id): the account is the one truth of who owns an id. */
export async function artistOwning(executor: Executor, platform: Platform, externalId: string): Promise<GlobalArtistRow | undefined> {
  const [row] = await executor
    .select({ artist: globalArtists })
    .from(platformAccounts)
    .innerJoin(globalArtists, eq(globalArtists.id, platformAccounts.artistId))
    .where(and(eq(platformAccounts.platform, platform), eq(platformAccounts.externalId, externalId)));
  return row?.artist;
}

/** The artist a Spotify id, URI or URL given by a caller names. */
export const artistBySpotifyId = (db: Database, spotifyIdInput: string) => artistOwning(db, "spotify", parseSpotifyArtistId(spotifyIdInput, "spotifyId"));

// Batched lookups: each takes many keys and answers with one statement, for the loaders.

export const artistsByIds = (db: Database, ids: readonly string[]) =>
  db.select().from(globalArtists).where(isAnyOf(globalArtists.id, ids));

export const trackerCounts = (db: Database, artistIds: readonly string[]) =>
  db
    .select({ artistId: userArtists.artistId, count: sql<number>`count(*)::int` })
    .from(userArtists)
    .where(isAnyOf(userArtists.artistId, artistIds))
    .groupBy(userArtists.artistId);

export const linksOfUser = (db: Database, userId: string, artistIds: readonly string[]): Promise<UserArtistRow[]> =>
  db
    .select()
    .from(userArtists)
    .where(and(eq(userArtists.userId, userId), isAnyOf(userArtists.artistId, artistIds)));

const tracked = (db: Database) =>
  exists(db.select({ one: sql`1` }).from(userArtists).where(eq(userArtists.artistId, globalArtists.id)));

/** Every tracked artist, by name, optionally filtered by a case- and accent-insensitive search. */
export async function listArtists(db: Database, args: PageArgs & { search?: string | null }): Promise<Page<GlobalArtistRow>> {
  const size = pageSize(args.first);
  const after = decodeCursor(args.after, "name");
  const search = args.search?.trim();
  if (search && search.length > SEARCH_MAX) throw invalidArgument("search", `must be at most ${SEARCH_MAX} characters long`);
  const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const filter = and(tracked(db), pattern ? sql`${searchKey(globalArtists.name)} LIKE ${searchKey(pattern)}` : undefined);
  const afterKey = after ? sql`(${searchKey(globalArtists.name)}, ${globalArtists.id}) > (${after.key}, ${after.id}::uuid)` : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({ node: globalArtists, key: searchKey(globalArtists.name).mapWith(String) })
      .from(globalArtists)
      .where(and(filter, afterKey))
      .orderBy(searchKey(globalArtists.name), asc(globalArtists.id))
      .limit(size + 1),
    db.select({ count: sql<number>`count(*)::int` }).from(globalArtists).where(filter),
  ]);
  return toPage(rows, size, count?.count ?? 0, "name", (artist) => artist.id);
}

/** A number the server wrote: finite (a forged `1e999` is not). */
const isFiniteNumber = (key: string) => /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(key) && Number.isFinite(Number(key));

export type TrackedOrder = "ADDED_AT_DESC" | "NAME_ASC" | "MOMENTUM_DESC";

/**
 * How each order sorts links: a key, a tie-breaking id, a direction, and the key as the cursor
 * carries it (text the app controls) with the way back from it.
 */
type OrderSpec = {
  key: SQL;
  cursorKey: SQL;
  fromCursor: (key: string) => SQL;
  id: typeof userArtists.id | typeof userArtists.artistId;
  idOf: (link: UserArtistRow) => string;
  descending: boolean;
  validKey: (key: string) => boolean;
};

// A score is a float8; its text is exact on our connections (extra_float_digits 3).
const momentumKey = sql`coalesce((SELECT m.score FROM ${artistMomentum} m WHERE m.artist_id = ${userArtists.artistId} AND m.model_version = ${MODEL_VERSION} ORDER BY m.day DESC LIMIT 1), -1)`;

const trackedOrders: Record<TrackedOrder, OrderSpec> = {
  ADDED_AT_DESC: {
    key: sql`${userArtists.createdAt}`,
    cursorKey: timestampCursor.key(userArtists.createdAt),
    fromCursor: timestampCursor.value,
    id: userArtists.id,
    idOf: (link) => link.id,
    descending: true,
    validKey: timestampCursor.valid,
  },
  NAME_ASC: {
    key: searchKey(globalArtists.name),
    cursorKey: searchKey(globalArtists.name),
    fromCursor: (key) => sql`${key}::text`,
    id: userArtists.artistId,
    idOf: (link) => link.artistId,
    descending: false,
    validKey: () => true,
  },
  // Unscored artists (no momentum yet) sort last, as if scored -1.
  MOMENTUM_DESC: {
    key: momentumKey,
    cursorKey: sql`${momentumKey}::text`,
    fromCursor: (key) => sql`${key}::float8`,
    id: userArtists.artistId,
    idOf: (link) => link.artistId,
    descending: true,
    validKey: isFiniteNumber,
  },
};

/** An artist with what the statement that fetched it brought along, so that showing these needs no batch afterwards. */
export type ArtistWithExtras = GlobalArtistRow & { trackerCount: number; platformAccounts: PlatformAccountRow[] };

/** A link of a page, with its artist when the caller will show it. */
export type TrackedLink = UserArtistRow & { artist?: ArtistWithExtras };

type AccountJson = Omit<PlatformAccountRow, "createdAt"> & { createdAt: string };

/**
 * A row of the page's statement as postgres.js returns it (timestamps as text: drizzle's client
 * leaves them unparsed); the artist's columns are null unless asked for.
 */
type TrackedRow = {
  id: string;
  user_id: string;
  artist_id: string;
  is_favorite: boolean;
  custom_notes: string | null;
  created_at: string;
  key: string;
  total: number | null;
  name: string;
  genres: string[];
  image_url: string | null;
  sync_status: GlobalArtistRow["syncStatus"];
  sync_error: string | null;
  last_synced_at: string | null;
  musicbrainz_id: string | null;
  cross_linked_at: string | null;
  artist_created_at: string;
  artist_updated_at: string;
  tracker_count: number;
  accounts: AccountJson[];
};

const linkOf = (row: TrackedRow): UserArtistRow => ({
  id: row.id,
  userId: row.user_id,
  artistId: row.artist_id,
  isFavorite: row.is_favorite,
  customNotes: row.custom_notes,
  createdAt: new Date(row.created_at),
});

const artistOf = (row: TrackedRow): ArtistWithExtras => ({
  id: row.artist_id,
  name: row.name,
  genres: row.genres,
  imageUrl: row.image_url,
  syncStatus: row.sync_status,
  syncError: row.sync_error,
  lastSyncedAt: row.last_synced_at === null ? null : new Date(row.last_synced_at),
  musicbrainzId: row.musicbrainz_id,
  crossLinkedAt: row.cross_linked_at === null ? null : new Date(row.cross_linked_at),
  createdAt: new Date(row.artist_created_at),
  updatedAt: new Date(row.artist_updated_at),
  trackerCount: row.tracker_count,
  platformAccounts: row.accounts.map((a) => ({ ...a, createdAt: new Date(a.createdAt) })),
});

/**
 * The user's links, in keyset pages; the cursor carries the sort key of the last link. What the
 * caller will show comes in the page's one statement: each link's artist with its tracker count
 * and accounts (`withArtists`), and the count of every link (`withCount`; null when not asked for).
 * The hottest read of the API, so its rows are mapped by hand rather than by drizzle's per-column
 * mapping.
 */
export async function listTrackedArtists(
  db: Database,
  userId: string,
  args: PageArgs & { favoritesOnly?: boolean | null; orderBy?: TrackedOrder | null },
  options: { withArtists?: boolean; withCount?: boolean } = {},
): Promise<Page<TrackedLink, number | null>> {
  const size = pageSize(args.first);
  const orderName = args.orderBy ?? "ADDED_AT_DESC";
  const order = trackedOrders[orderName];
  const after = decodeCursor(args.after, orderName, order.validKey);
  const filter = and(eq(userArtists.userId, userId), args.favoritesOnly ? eq(userArtists.isFavorite, true) : undefined);
  const afterKey = after
    ? sql`(${order.key}, ${order.id}) ${sql.raw(order.descending ? "<" : ">")} (${order.fromCursor(after.key)}, ${after.id}::uuid)`
    : undefined;
  const direction = sql.raw(order.descending ? "DESC" : "ASC");
  const count = sql`(SELECT count(*)::int FROM ${userArtists} WHERE ${filter})`;
  const artistColumns = sql`, ${globalArtists.name}, ${globalArtists.genres}, ${globalArtists.imageUrl}, ${globalArtists.syncStatus}, ${globalArtists.syncError},
    ${globalArtists.lastSyncedAt}, ${globalArtists.musicbrainzId}, ${globalArtists.crossLinkedAt}, ${globalArtists.createdAt} AS artist_created_at, ${globalArtists.updatedAt} AS artist_updated_at,
    (SELECT count(*)::int FROM ${userArtists} t WHERE t.artist_id = ${userArtists.artistId}) AS tracker_count,
    (SELECT coalesce(json_agg(json_build_object('id', p.id, 'artistId', p.artist_id, 'platform', p.platform, 'externalId', p.external_id, 'url', p.url,
      'linkedBy', p.linked_by, 'linkedByUserId', p.linked_by_user_id, 'simulated', p.simulated, 'createdAt', p.created_at) ORDER BY p.platform, p.created_at), '[]')
     FROM ${platformAccounts} p WHERE p.artist_id = ${userArtists.artistId}) AS accounts`;
  // The count is an uncorrelated subquery: PostgreSQL computes it once for the page, not per row.
  const rows = await db.execute<TrackedRow>(sql`
    SELECT ${userArtists.id}, ${userArtists.userId}, ${userArtists.artistId}, ${userArtists.isFavorite}, ${userArtists.customNotes}, ${userArtists.createdAt},
      ${order.cursorKey} AS key, ${options.withCount ? count : sql`NULL::int`} AS total${options.withArtists ? artistColumns : sql.empty()}
    FROM ${userArtists} JOIN ${globalArtists} ON ${globalArtists.id} = ${userArtists.artistId}
    WHERE ${and(filter, afterKey)}
    ORDER BY ${order.key} ${direction}, ${order.id} ${direction}
    LIMIT ${size + 1}`);
  let totalCount: number | null = null;
  if (options.withCount) {
    // A page past the end (a cursor followed after its links went) has no row to carry the count.
    totalCount = rows[0]?.total ?? (after ? ((await db.execute<{ total: number }>(sql`SELECT ${count} AS total`))[0]?.total ?? 0) : 0);
  }
  const nodeOf = options.withArtists ? (row: TrackedRow): TrackedLink => Object.assign(linkOf(row), { artist: artistOf(row) }) : linkOf;
  return toPage(
    rows.map((row) => ({ node: nodeOf(row), key: row.key })),
    size,
    totalCount,
    orderName,
    order.idOf,
  );
}
