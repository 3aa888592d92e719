import { and, asc, desc, eq, exists, inArray, sql, type SQL, type SQLWrapper } from "drizzle-orm";
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
  db.select().from(globalArtists).where(inArray(globalArtists.id, [...ids]));

export const trackerCounts = (db: Database, artistIds: readonly string[]) =>
  db
    .select({ artistId: userArtists.artistId, count: sql<number>`count(*)::int` })
    .from(userArtists)
    .where(inArray(userArtists.artistId, [...artistIds]))
    .groupBy(userArtists.artistId);

export const linksOfUser = (db: Database, userId: string, artistIds: readonly string[]): Promise<UserArtistRow[]> =>
  db
    .select()
    .from(userArtists)
    .where(and(eq(userArtists.userId, userId), inArray(userArtists.artistId, [...artistIds])));

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

/** The user's links, in keyset pages; the cursor carries the sort key of the last link. */
/** What a page of links brings along in its own statement when the caller will show the artists. */
export type TrackedArtistExtras = { artist: GlobalArtistRow; trackerCount: number; accounts: PlatformAccountRow[] };

type AccountJson = Omit<PlatformAccountRow, "createdAt"> & { createdAt: string };

export async function listTrackedArtists(
  db: Database,
  userId: string,
  args: PageArgs & { favoritesOnly?: boolean | null; orderBy?: TrackedOrder | null },
  options: { withArtists?: boolean } = {},
): Promise<Page<UserArtistRow> & { artists: TrackedArtistExtras[] }> {
  const size = pageSize(args.first);
  const orderName = args.orderBy ?? "ADDED_AT_DESC";
  const order = trackedOrders[orderName];
  const after = decodeCursor(args.after, orderName, order.validKey);
  const filter = and(eq(userArtists.userId, userId), args.favoritesOnly ? eq(userArtists.isFavorite, true) : undefined);
  const afterKey = after
    ? sql`(${order.key}, ${order.id}) ${sql.raw(order.descending ? "<" : ">")} (${order.fromCursor(after.key)}, ${after.id}::uuid)`
    : undefined;
  const direction = order.descending ? desc : asc;
  // The artists' tracker counts and accounts come in the page's statement rather than in a batch each afterwards.
  const extras = options.withArtists
    ? {
        trackerCount: sql<number>`(SELECT count(*)::int FROM ${userArtists} t WHERE t.artist_id = ${userArtists.artistId})`,
        accounts: sql<AccountJson[]>`(
          SELECT coalesce(json_agg(json_build_object('id', p.id, 'artistId', p.artist_id, 'platform', p.platform, 'externalId', p.external_id, 'url', p.url,
            'linkedBy', p.linked_by, 'linkedByUserId', p.linked_by_user_id, 'simulated', p.simulated, 'createdAt', p.created_at) ORDER BY p.platform, p.created_at), '[]')
          FROM ${platformAccounts} p WHERE p.artist_id = ${userArtists.artistId})`,
      }
    : { trackerCount: sql<null>`NULL`, accounts: sql<null>`NULL` };
  const [rows, [total]] = await Promise.all([
    db
      .select({ node: userArtists, key: sql<string>`${order.cursorKey}`, artist: globalArtists, ...extras })
      .from(userArtists)
      .innerJoin(globalArtists, eq(globalArtists.id, userArtists.artistId))
      .where(and(filter, afterKey))
      .orderBy(direction(order.key), direction(order.id))
      .limit(size + 1),
    db.select({ count: sql<number>`count(*)::int` }).from(userArtists).where(filter),
  ]);
  const page = toPage(rows, size, total?.count ?? 0, orderName, order.idOf);
  const artists = options.withArtists
    ? rows.slice(0, size).map((row) => ({
        artist: row.artist,
        trackerCount: row.trackerCount ?? 0,
        accounts: (row.accounts ?? []).map((a) => ({ ...a, createdAt: new Date(a.createdAt) })),
      }))
    : [];
  return { ...page, artists };
}
