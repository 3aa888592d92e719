import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { requireUserForMine, topMovers } from "../../domain/movers.js";
import type { Context } from "../context.js";
import { GrowthWindow, MoverOrder, MoverScope } from "../enums.js";
import { ArtistMovement } from "./momentum.types.js";
import { toMovements } from "./movements.js";

@Authorized()
@Resolver()
export class MoversResolver {
  @Query(() => [ArtistMovement], { description: "Artists whose audience moved most over the window, largest first." })
  async topMovers(
    @Arg("window", () => GrowthWindow) window: GrowthWindow,
    @Arg("scope", () => MoverScope, { nullable: true, description: "ALL when left out." }) scope: MoverScope | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; 20 when left out." }) first: number | null,
    @Arg("orderBy", () => MoverOrder, { nullable: true, description: "CHANGE when left out." }) orderBy: MoverOrder | null,
    @Arg("after", () => String, { nullable: true, description: "The cursor of the last mover of the previous page." }) after: string | null,
    @Arg("minStartAudience", () => Int, { nullable: true, description: "Leave out artists that started the window below this audience (default 1000)." })
    minStartAudience: number | null,
    @Ctx() context: Context,
  ): Promise<ArtistMovement[]> {
    const userId = requireUserForMine(scope ?? MoverScope.ALL, context.viewerId);
    return toMovements(context, await topMovers(context.db, { windowDays: window, userId, first, after, orderBy, minStartAudience }));
  }
}
