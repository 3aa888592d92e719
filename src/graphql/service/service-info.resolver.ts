import { Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
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
  @Field(() => Boolean, { description: "True when any figure this server shows is simulated." })
  simulatedData!: boolean;

  @Field(() => [ProviderInfo])
  providers!: ProviderInfo[];
}

@Resolver()
export class ServiceInfoResolver {
  @Query(() => ServiceInfo, { description: "Where the audience figures come from: the live platforms or the simulated provider." })
  serviceInfo(@Ctx() { providers }: Context): ServiceInfo {
    const list = Object.values(providers).map((p) => ({ platform: p.platform as Platform, simulated: p.simulated }));
    return { simulatedData: list.some((p) => p.simulated), providers: list };
  }
}
