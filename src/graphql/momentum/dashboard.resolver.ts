import { Arg, Authorized, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from "type-graphql";
import { dashboardCounts } from "../../domain/dashboard.js";
import { topMovers } from "../../domain/movers.js";
import { requireViewer, type Context } from "../context.js";
import { GrowthWindow, MomentumCategory, MoverOrder } from "../enums.js";
import { ArtistMovement, MomentumCategoryCount } from "./momentum.types.js";
import { toMovements } from "./movements.js";

@ObjectType({ description: "What the dashboard page shows the signed-in user, in one request.", simpleResolvers: true })
export class Dashboard {
  @Field(() => Int, { description: "How many artists the user tracks." })
  trackedCount!: number;

  @Field(() => Int)
  favoriteCount!: number;

  @Field(() => [MomentumCategoryCount], { description: "Every momentum category, declining to explosive, with how many of the user's artists are in it now." })
  momentumCategories!: MomentumCategoryCount[];

  @Field(() => Int, { description: "Tracked artists without momentum yet (not enough history)." })
  unscoredCount!: number;

  userId!: string;
}

@Authorized()
@Resolver(() => Dashboard)
export class DashboardResolver {
  @Query(() => Dashboard, { description: "The signed-in user's dashboard. UNAUTHENTICATED without a token." })
  async dashboard(@Ctx() context: Context): Promise<Dashboard> {
    const userId = requireViewer(context);
    const counts = await dashboardCounts(context.db, userId);
    return {
      userId,
      trackedCount: counts.trackedCount,
      favoriteCount: counts.favoriteCount,
      unscoredCount: counts.unscoredCount,
      momentumCategories: counts.categories.map(({ category, count }) => ({ category: category as MomentumCategory, count })),
    };
  }

  @FieldResolver(() => [ArtistMovement], { description: "The user's artists whose audience grew most over the window." })
  async biggestMovers(
    @Root() dashboard: Dashboard,
    @Arg("window", () => GrowthWindow, { defaultValue: GrowthWindow.DAYS_7 }) window: GrowthWindow,
    @Arg("first", () => Int, { defaultValue: 5 }) first: number,
    @Arg("orderBy", () => MoverOrder, { nullable: true, description: "CHANGE when left out." }) orderBy: MoverOrder | null,
    @Ctx() context: Context,
  ): Promise<ArtistMovement[]> {
    return toMovements(context, await topMovers(context.db, { windowDays: window, userId: dashboard.userId, first, orderBy }));
  }
}
