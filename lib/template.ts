import { Fn, Token, Tokenization } from "cdktf";

// Strings that mix literal text with tokens (`${env.stringValue}-books`), as cdktf encodes them:
// their parts, how Terraform must receive the literal parts, the value as one Terraform
// expression, and whether any value of the tokens could make the whole follow a pattern.

/** cdktf's marker of a string token inside a string (its `BEGIN_STRING_TOKEN_MARKER` ... `END_TOKEN_MARKER`). */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** One part of a string: literal text, or a token whose value Terraform knows at plan time. */
export type Fragment = { readonly literal: string } | { readonly token: string };

/**
 * A number token written into a string: cdktf encodes a number token as a double that prints as
 * `-1.8881545897087626e+289` (and resolves such text in a string to its reference).
 */
const NUMBER_IN_STRING = /-?\d+(?:\.\d+)?e[+-]\d+/g;

/** A literal part split at the number tokens written into it. */
function numberTokens(literal: string): Fragment[] {
  const fragments: Fragment[] = [];
  let last = 0;
  for (const match of literal.matchAll(NUMBER_IN_STRING)) {
    const resolvable = Tokenization.reverseNumber(Number(match[0]));
    if (resolvable === undefined) continue;
    if (match.index > last) fragments.push({ literal: literal.slice(last, match.index) });
    fragments.push({ token: Token.asString(resolvable) });
    last = match.index + match[0].length;
  }
  if (last < literal.length) fragments.push({ literal: literal.slice(last) });
  return fragments;
}

/**
 * The parts of a string, in order: literal text and tokens (string tokens, and number tokens
 * written into the string, each as a string token). A literal string is one literal part; a token
 * is one token part. Empty literal parts are left out.
 */
export function fragmentsOf(value: string): Fragment[] {
  const fragments: Fragment[] = [];
  let last = 0;
  const literal = (text: string) => fragments.push(...numberTokens(text));
  if (Token.isUnresolved(value)) {
    for (const match of value.matchAll(STRING_TOKEN)) {
      if (match.index > last) literal(value.slice(last, match.index));
      fragments.push({ token: match[0] });
      last = match.index + match[0].length;
    }
  }
  if (last < value.length) literal(value.slice(last));
  if (fragments.length === 0) return [{ literal: value }];
  // A token that cdktf encodes otherwise: the whole string is then one opaque token, checked at
  // plan time only.
  return fragments.some((f) => "token" in f) || !Token.isUnresolved(value) ? fragments : [{ token: value }];
}

/**
 * The string with each number token written into it as a string token of the same value: cdktf
 * reads a number token in text by its own greedy pattern, which can swallow the digits around it
 * (`books1${n}`, `c${n}${m}` in an ARN), while a string token stands alone. So the value Terraform
 * receives is the value the checks read. A string without number tokens comes back as it was.
 */
export function withStringTokens(value: string): string {
  return fragmentsOf(value)
    .map((f) => ("token" in f ? f.token : f.literal))
    .join("");
}

/** Whether a string holds a token: is one, or has one in its text (a string or a number token). */
export function holdsTokens(value: string): boolean {
  return fragmentsOf(value).some((f) => "token" in f);
}

/** Any token marker cdktf writes into a string (a string's, a list's, a map's). */
const ANY_TOKEN_MARKER = /[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** The string as the user would read it, each token shown as `${…}`. */
export function display(value: string): string {
  return fragmentsOf(value)
    .map((f) => ("token" in f ? "${…}" : f.literal.replace(ANY_TOKEN_MARKER, "${…}")))
    .join("");
}

/**
 * Literal text as Terraform must receive it in a JSON template to read it back unchanged: `${`
 * and `%{` escaped as `$${` and `%%{`. When a token follows, a trailing run of `$` is written as
 * the interpolation `${"$..."}`, since `$` right before `${` would read as the escape `$${`.
 */
function escapeTemplateText(text: string, beforeToken: boolean): string {
  // Replacement functions: in a replacement string, "$$" would mean one "$".
  const escaped = text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
  if (!beforeToken) return escaped;
  const dollars = /\$+$/.exec(escaped)?.[0] ?? "";
  return dollars === "" ? escaped : `${escaped.slice(0, -dollars.length)}\${"${dollars}"}`;
}

/**
 * A string as Terraform must receive it in JSON: literal parts escaped (so that template syntax in
 * them stays text and is never evaluated), tokens left to cdktf. `undefined` stays `undefined`.
 */
export function terraformTemplate<T extends string | undefined>(value: T): T {
  if (value === undefined) return value;
  const fragments = fragmentsOf(value);
  return fragments
    .map((f, i) => ("token" in f ? f.token : escapeTemplateText(f.literal, i + 1 < fragments.length)))
    .join("") as T;
}

/**
 * Text escaped for an HCL quoted string that cdktf writes into an expression. cdktf itself escapes
 * newlines and `${` in the literal arguments of `Fn` calls and nothing else, so the rest is done
 * here: backslashes, quotes, `%{`, and control characters.
 */
function hclQuotedText(text: string): string {
  return (
    text
      .replace(/\\/g, "\\\\")
      .replace(/"/g, '\\"')
      .replace(/%\{/g, "%%{")
      // eslint-disable-next-line no-control-regex -- control characters are what is escaped here
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) =>
        c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      )
  );
}

/** A literal string as an argument of a cdktf `Fn` call, so that Terraform reads it back unchanged. */
export function literalArgument(text: string): string {
  return hclQuotedText(text);
}

/**
 * The value as one Terraform expression, for `Fn` and `Op` calls: a token as it is; a string that
 * mixes text and tokens as `join("", [...])` of its parts (never its template pasted into HCL);
 * a literal as a quoted string.
 */
export function expressionOf(value: string): string {
  const fragments = fragmentsOf(value);
  const only = fragments[0];
  if (fragments.length === 1 && only !== undefined) return "token" in only ? only.token : literalArgument(only.literal);
  return Fn.join(
    "",
    fragments.map((f) => ("token" in f ? f.token : literalArgument(f.literal))),
  );
}

// ---------------------------------------------------------------------------------------------
// Whether a template can match a pattern: a small automaton (Thompson's construction) for the
// subset of regular expressions the rules use: anchors at both ends, literal characters and
// escapes, character classes (with ranges, \p{..} and \xHH), groups, alternation, and the
// quantifiers * + ? {n} {n,} {n,m}. A token may stand for any string.

interface State {
  readonly epsilon: number[];
  readonly edges: { readonly accepts: (c: string) => boolean; readonly to: number }[];
}

interface Automaton {
  readonly states: State[];
  readonly start: number;
  readonly accept: number;
}

class PatternParser {
  private pos = 0;
  private readonly states: State[] = [];
  private constructor(private readonly source: string) {}

  static compile(pattern: string): Automaton {
    if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$")) {
      throw new Error(`A rule's pattern must be anchored at both ends: ${pattern}`);
    }
    const parser = new PatternParser(pattern.slice(1, -1));
    const [start, accept] = parser.alternation();
    if (parser.pos !== parser.source.length) throw new Error(`Unsupported pattern syntax at ${parser.pos}: ${pattern}`);
    return { states: parser.states, start, accept };
  }

  private state(): number {
    this.states.push({ epsilon: [], edges: [] });
    return this.states.length - 1;
  }

  private peek(): string | undefined {
    return this.source[this.pos];
  }

  /** Fragment: [entry state, exit state]. */
  private alternation(): [number, number] {
    const branches = [this.sequence()];
    while (this.peek() === "|") {
      this.pos++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0];
    const start = this.state();
    const end = this.state();
    for (const [s, e] of branches) {
      this.states[start]?.epsilon.push(s);
      this.states[e]?.epsilon.push(end);
    }
    return [start, end];
  }

  private sequence(): [number, number] {
    const start = this.state();
    let end = start;
    while (this.pos < this.source.length && this.peek() !== "|" && this.peek() !== ")") {
      const [s, e] = this.quantified();
      this.states[end]?.epsilon.push(s);
      end = e;
    }
    return [start, end];
  }

  private quantified(): [number, number] {
    const atomStart = this.pos;
    this.atom();
    const atomEnd = this.pos;
    const { min, max } = this.quantifier();
    // Each copy of the atom is parsed again from its source, so that copies share no state.
    const copy = (): [number, number] => {
      const saved = this.pos;
      this.pos = atomStart;
      const fragment = this.atom();
      this.pos = saved;
      if (this.pos < atomEnd) throw new Error("internal: quantifier position");
      return fragment;
    };
    const start = this.state();
    let end = start;
    for (let i = 0; i < min; i++) {
      const [s, e] = copy();
      this.states[end]?.epsilon.push(s);
      end = e;
    }
    if (max === Infinity) {
      const [s, e] = copy();
      const loopEnd = this.state();
      this.states[end]?.epsilon.push(s, loopEnd);
      this.states[e]?.epsilon.push(s, loopEnd);
      end = loopEnd;
    } else {
      const exit = this.state();
      for (let i = min; i < max; i++) {
        const [s, e] = copy();
        this.states[end]?.epsilon.push(s, exit);
        end = e;
      }
      this.states[end]?.epsilon.push(exit);
      end = exit;
    }
    return [start, end];
  }

  private quantifier(): { min: number; max: number } {
    const c = this.peek();
    if (c === "*" || c === "+" || c === "?") {
      this.pos++;
      return { min: c === "+" ? 1 : 0, max: c === "?" ? 1 : Infinity };
    }
    if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.pos));
      if (m) {
        this.pos += m[0].length;
        const min = Number(m[1]);
        return { min, max: m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]) };
      }
    }
    return { min: 1, max: 1 };
  }

  /** One character matcher or a group; returns its fragment. */
  private atom(): [number, number] {
    const c = this.peek();
    if (c === "(") {
      this.pos++;
      const fragment = this.alternation();
      if (this.peek() !== ")") throw new Error(`Unbalanced group in ${this.source}`);
      this.pos++;
      return fragment;
    }
    let matcher: string;
    if (c === "[") {
      let end = this.pos + 1;
      while (end < this.source.length && this.source[end] !== "]") end += this.source[end] === "\\" ? 2 : 1;
      matcher = this.source.slice(this.pos, end + 1);
      this.pos = end + 1;
    } else if (c === "\\") {
      const m = /^\\(p\{[A-Za-z]+\}|x[0-9A-Fa-f]{2}|.)/u.exec(this.source.slice(this.pos));
      if (!m) throw new Error(`Unsupported escape in ${this.source}`);
      matcher = m[0];
      this.pos += m[0].length;
    } else if (c === undefined || "*+?{|)".includes(c)) {
      throw new Error(`Unsupported pattern syntax at ${this.pos}: ${this.source}`);
    } else {
      const char = String.fromCodePoint(this.source.codePointAt(this.pos) as number);
      matcher = char === "." ? "." : char.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
      this.pos += char.length;
    }
    const test = new RegExp(`^${matcher}$`, "u");
    const start = this.state();
    const end = this.state();
    this.states[start]?.edges.push({ accepts: (ch) => test.test(ch), to: end });
    return [start, end];
  }
}

const automata = new Map<string, Automaton>();

function automatonOf(pattern: string): Automaton {
  let automaton = automata.get(pattern);
  if (automaton === undefined) {
    automaton = PatternParser.compile(pattern);
    automata.set(pattern, automaton);
  }
  return automaton;
}

/**
 * Characters that Unicode normalization (NFC) may compose with the character before them: combining
 * marks, and the Hangul vowel and trailing jamo.
 */
const COMBINES_BACKWARD = /^[\p{M}\u1160-\u11ff]+/u;

/**
 * The fragments as Terraform will see the whole string: Terraform normalizes every string to
 * Unicode NFC, so each literal part is normalized, and the characters at the start of a literal
 * part that may compose with the end of the token before it are left to that token (they may
 * become part of one character with it).
 */
export function normalized(fragments: readonly Fragment[]): Fragment[] {
  return fragments.map((f, i) => {
    if ("token" in f) return f;
    const text = f.literal.normalize("NFC");
    return i > 0 ? { literal: text.replace(COMBINES_BACKWARD, "") } : { literal: text };
  });
}

const admits = new Map<string, boolean>();

/**
 * Whether some string of `minLength` to `maxLength` characters matches `pattern`: the automaton's
 * states reachable with exactly k characters, for k = 0, 1, ... `maxLength` (a few thousand set
 * operations, where the general walk below shifts bit sets `maxLength` bits wide). Remembered per
 * rule.
 */
export function admitsSomeString(pattern: string, minLength: number, maxLength: number): boolean {
  const key = JSON.stringify([pattern, minLength, maxLength]);
  const known = admits.get(key);
  if (known !== undefined) return known;
  const { states, start, accept } = automatonOf(pattern);
  const closure = (set: Set<number>): Set<number> => {
    const work = [...set];
    while (work.length > 0) {
      for (const t of states[work.pop() as number]?.epsilon ?? []) {
        if (!set.has(t)) {
          set.add(t);
          work.push(t);
        }
      }
    }
    return set;
  };
  let current = closure(new Set([start]));
  let found = false;
  for (let length = 0; length <= maxLength && current.size > 0 && !found; length++) {
    found = length >= minLength && current.has(accept);
    const next = new Set<number>();
    for (const s of current) for (const edge of states[s]?.edges ?? []) next.add(edge.to);
    current = closure(next);
  }
  admits.set(key, found);
  return found;
}

// Calls, not literals (`0n`): the sources also compile under cdktf's TypeScript template, which targets ES2018.
const ZERO = BigInt(0);
const ONE = BigInt(1);

/**
 * Whether some values of the tokens make the whole string match `pattern` with a length (in
 * characters, that is Unicode code points) from `minLength` to `maxLength`, once Terraform has
 * normalized it (NFC). A literal string is matched as it is (normalized). Exact for literal
 * strings; for strings with tokens, it never refuses a string that some values of the tokens make
 * valid: each state of the automaton carries the set of lengths it can be reached with (a bit set,
 * capped at `maxLength`).
 */
export function canMatch(
  fragments: readonly Fragment[],
  pattern: string,
  minLength: number,
  maxLength: number,
): boolean {
  // A value of tokens alone may be any string: what is asked is whether the rule admits one.
  const parts = normalized(fragments);
  if (parts.some((f) => "token" in f) && parts.every((f) => "token" in f || f.literal === "")) {
    return admitsSomeString(pattern, minLength, maxLength);
  }
  const { states, start, accept } = automatonOf(pattern);
  const mask = (ONE << BigInt(maxLength + 1)) - ONE;
  let current = new Map<number, bigint>([[start, ONE]]);

  const close = (set: Map<number, bigint>, anyCharacter: boolean): Map<number, bigint> => {
    const result = new Map(set);
    const work = [...result.keys()];
    while (work.length > 0) {
      const s = work.pop() as number;
      const lengths = result.get(s) ?? ZERO;
      const next: [number, bigint][] = (states[s]?.epsilon ?? []).map((t) => [t, lengths]);
      if (anyCharacter) for (const edge of states[s]?.edges ?? []) next.push([edge.to, (lengths << ONE) & mask]);
      for (const [t, add] of next) {
        const before = result.get(t) ?? ZERO;
        const after = before | add;
        if (after !== before) {
          result.set(t, after);
          work.push(t);
        }
      }
    }
    return result;
  };

  current = close(current, false);
  for (const fragment of normalized(fragments)) {
    if ("token" in fragment) {
      // A token may be any string: any path through the automaton, each character one longer.
      current = close(current, true);
      continue;
    }
    for (const char of fragment.literal) {
      const next = new Map<number, bigint>();
      for (const [s, lengths] of current) {
        for (const edge of states[s]?.edges ?? []) {
          if (!edge.accepts(char)) continue;
          const shifted = (lengths << ONE) & mask;
          if (shifted !== ZERO) next.set(edge.to, (next.get(edge.to) ?? ZERO) | shifted);
        }
      }
      current = close(next, false);
      if (current.size === 0) return false;
    }
  }
  const lengths = current.get(accept) ?? ZERO;
  return lengths >> BigInt(minLength) !== ZERO;
}
