import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { invalidArgument } from "./errors.js";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;
/** zxcvbn's scale: 0 (a top password) to 4; below 2 is guessed within hours by an online attacker. */
const MIN_STRENGTH = 2;

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

/**
 * A password's length, and its strength as zxcvbn estimates it against common passwords, names,
 * keyboard patterns and the user's own email and name. The message says why a password is refused.
 */
export function checkNewPassword(password: string, argument: string, personal: (string | null | undefined)[]): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw invalidArgument(argument, `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
  }
  // The email, its local part and the name may not appear in the password; every part of them counts against it.
  const own = personal.flatMap((value) => (value ? [value.trim(), value.split("@")[0]!.trim()] : [])).filter((value) => value.length >= 4);
  if (own.some((value) => password.toLowerCase().includes(value.toLowerCase()))) {
    throw invalidArgument(argument, "must not contain your email or your name");
  }
  const inputs = personal.flatMap((value) => (value ? [value, ...value.split(/[@\s.]+/).filter((part) => part.length >= 3)] : []));
  const { score, feedback } = estimator.check(password, inputs);
  if (score < MIN_STRENGTH) {
    const why = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(" ");
    throw invalidArgument(argument, `is too easy to guess${why ? `: ${why}` : ""}`);
  }
}
