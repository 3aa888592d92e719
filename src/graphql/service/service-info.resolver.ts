import { Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import { anySimulatedFigure } from "../../domain/accounts.js";
import type { Context } from "../context.js";
import { Platform } from "../enums.js";

@ObjectType()
class ProviderInfo {
  @Field(() => Platform)
  platform!: Platform;

  @Field(() => Boolean, { description: "True when this platform's figures are synthetic, not the platform's own." })
  simulated!: boolean;
}

@ObjectType({ description: "Where this server's numbers come from." })
class ServiceInfo {
  @Field(() => Boolean, { description: "True when any figure this server holds is simulated." })
  simulatedData!: boolean;

  @Field(() => [ProviderInfo], { description: "What a newly added account gets on each platform; an account keeps its provider for good." })
  providers!: ProviderInfo[];
}

@Resolver()
export class ServiceInfoResolver {
  @Query(() => ServiceInfo, { description: "Where the audience figures come from: the live platforms or the simulated provider." })
  async serviceInfo(@Ctx() { providers, db }: Context): Promise<ServiceInfo> {
    return {
      simulatedData: await anySimulatedFigure(db),
      providers: providers.configured.map((p) => ({ platform: p.platform as Platform, simulated: p.simulated })),
    };
  }
}
