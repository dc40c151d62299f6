import { DFA, JS, NFA, TooManyNodesError, Words } from "refa";

/**
 * The most states an intersection of two languages may have before the proof gives up on a field
 * (`TooIntricate`, a finding, never a PASS): every review of the project's cases stays under 300,
 * and past a few thousand one field can take minutes and gigabytes.
 */
export const MAX_INTERSECTION_STATES = 1000;

/** A field whose classes would take an automaton past MAX_INTERSECTION_STATES: what the proof does not decide. */
export class TooIntricate extends Error {}

// Regular languages over UTF-16 strings, as deterministic finite automata (refa): what the proof
// splits a string field of a request into. Every language is built from a JavaScript regular
// expression (the very expression the evaluator matches with, where it uses one), so a language
// means exactly what the evaluator's test means; intersection, difference and emptiness are exact.

/** The highest UTF-16 code unit: languages are over strings as JavaScript holds them. */
const MAX_CHARACTER = 0xffff;

/** Characters a witness is made of when it may choose: readable ones first. */
const PREFERRED = [..."abcdefghijklmnopqrstuvwxyz0123456789-/_.ABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c) => c.charCodeAt(0));

/** References tried when a witness is sought near the examples: the first ones. */
const MAX_REFERENCES = 12;

const bySource = new Map<string, Language>();

export class Language {
  private complementOf?: Language;

  private constructor(private readonly dfa: DFA) {}

  /**
   * The strings a JavaScript regular expression matches as a whole (as `^(?:source)$` would), with
   * its flags (`i` for case-insensitive, as the evaluator's own expressions use it). Throws when
   * the expression has assertions or back-references, which no finite automaton holds.
   */
  static regex(source: string, flags = ""): Language {
    const key = `${flags}/${source}`;
    let language = bySource.get(key);
    if (language === undefined) {
      const { expression, maxCharacter } = JS.Parser.fromLiteral({ source, flags }).parse({
        assertions: "throw",
        backreferences: "throw",
      });
      language = Language.of(NFA.fromRegex(expression, { maxCharacter }));
      bySource.set(key, language);
    }
    return language;
  }

  /** Exactly one string. */
  static literal(text: string): Language {
    return Language.regex(escapeRegex(text));
  }

  /** Exactly the strings given. */
  static words(texts: readonly string[]): Language {
    if (texts.length === 0) return Language.none();
    return Language.regex(texts.map(escapeRegex).join("|"));
  }

  /** Every string. */
  static any(): Language {
    return Language.regex("[^]*");
  }

  /** No string at all. */
  static none(): Language {
    return Language.regex("[]");
  }

  /** The concatenation of languages, in order. */
  static concat(parts: readonly Language[]): Language {
    const nfa = NFA.fromFA(parts[0]?.dfa ?? Language.regex("").dfa);
    for (const part of parts.slice(1)) nfa.append(part.dfa);
    return Language.of(nfa);
  }

  /** The union of languages. */
  static union(parts: readonly Language[]): Language {
    if (parts.length === 0) return Language.none();
    const nfa = NFA.fromFA(parts[0].dfa);
    for (const part of parts.slice(1)) nfa.union(part.dfa);
    return Language.of(nfa);
  }

  private static of(fa: NFA | DFA): Language {
    const dfa = fa instanceof DFA ? fa : DFA.fromFA(fa);
    dfa.minimize();
    return new Language(dfa);
  }

  /** The strings in both; `TooIntricate` past MAX_INTERSECTION_STATES states. */
  and(other: Language): Language {
    try {
      return Language.of(
        DFA.fromIntersection(this.dfa, other.dfa, new DFA.LimitedNodeFactory(MAX_INTERSECTION_STATES)),
      );
    } catch (error) {
      if (error instanceof TooManyNodesError) {
        throw new TooIntricate(
          `the values of a field are too intricate to split into classes (an automaton past ${MAX_INTERSECTION_STATES} states)`,
        );
      }
      throw error;
    }
  }

  /** The strings in this one and not in the other. */
  minus(other: Language): Language {
    return this.and(other.not());
  }

  /** Every string not in this one. */
  not(): Language {
    if (this.complementOf === undefined) {
      const dfa = this.dfa.copy();
      dfa.complement();
      dfa.minimize();
      this.complementOf = new Language(dfa);
      this.complementOf.complementOf = this;
    }
    return this.complementOf;
  }

  get isEmpty(): boolean {
    return this.dfa.isEmpty;
  }

  /** Whether every string of this language is in the other. */
  within(other: Language): boolean {
    return this.minus(other).isEmpty;
  }

  has(text: string): boolean {
    return this.dfa.test(Words.fromStringToUTF16(text));
  }

  /**
   * One string of the language: the first of `preferred` that it holds; else the string of the
   * language nearest to one of them (fewest characters inserted, deleted or changed: another
   * account in an ARN that is otherwise the example); else a shortest one, made of readable
   * characters where the language lets it choose. Undefined for the empty language.
   */
  witness(preferred: readonly string[] = []): string | undefined {
    if (this.isEmpty) return undefined;
    for (const text of preferred) if (this.has(text)) return text;
    let best: { text: string; cost: number } | undefined;
    for (const reference of preferred.slice(0, MAX_REFERENCES)) {
      const near = this.nearest(reference);
      if (near !== undefined && (best === undefined || near.cost < best.cost)) best = near;
    }
    return best?.text ?? this.shortest();
  }

  /**
   * The string of the language at the least edit distance from `reference` (a 0-1 breadth-first
   * search over pairs of an automaton state and a position in the reference).
   */
  private nearest(reference: string): { text: string; cost: number } | undefined {
    const ref = [...Words.fromStringToUTF16(reference)];
    type State = { node: DFA.ReadonlyNode; i: number };
    const ids = new Map<DFA.ReadonlyNode, number>();
    const id = (s: State) => {
      let n = ids.get(s.node);
      if (n === undefined) {
        n = ids.size;
        ids.set(s.node, n);
      }
      return n * (ref.length + 1) + s.i;
    };
    const cost = new Map<number, number>();
    const back = new Map<number, { from: State | undefined; char?: number }>();
    const start: State = { node: this.dfa.initial, i: 0 };
    cost.set(id(start), 0);
    back.set(id(start), { from: undefined });
    const deque: State[] = [start];
    const done = new Set<number>();
    while (deque.length > 0) {
      const s = deque.shift() as State;
      const sid = id(s);
      if (done.has(sid)) continue;
      done.add(sid);
      const c = cost.get(sid) as number;
      if (s.i === ref.length && this.dfa.finals.has(s.node as DFA.Node)) {
        const chars: number[] = [];
        for (let at: State | undefined = s; at !== undefined;) {
          const step = back.get(id(at)) as { from: State | undefined; char?: number };
          if (step.char !== undefined) chars.push(step.char);
          at = step.from;
        }
        return { text: Words.fromUTF16ToString(chars.reverse()), cost: c };
      }
      const relax = (next: State, step: number, char?: number) => {
        const nid = id(next);
        const known = cost.get(nid);
        if (known !== undefined && known <= c + step) return;
        cost.set(nid, c + step);
        back.set(nid, { from: s, ...(char === undefined ? {} : { char }) });
        if (step === 0) deque.unshift(next);
        else deque.push(next);
      };
      const want = ref[s.i];
      if (want !== undefined) relax({ node: s.node, i: s.i + 1 }, 1); // leave the reference's character out
      for (const [range, to] of s.node.out.entries()) {
        const char = PREFERRED.find((x) => x >= range.min && x <= range.max) ?? range.min;
        if (want !== undefined && want >= range.min && want <= range.max) {
          relax({ node: to, i: s.i + 1 }, 0, want);
        } else if (want !== undefined) {
          relax({ node: to, i: s.i + 1 }, 1, char);
        }
        relax({ node: to, i: s.i }, 1, char);
      }
    }
    return undefined;
  }

  /** A shortest string of the language, of readable characters where it can choose. */
  private shortest(): string | undefined {
    const path = new Map<DFA.ReadonlyNode, number[]>([[this.dfa.initial, []]]);
    const queue: DFA.ReadonlyNode[] = [this.dfa.initial];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i];
      const word = path.get(node) as number[];
      if (this.dfa.finals.has(node as DFA.Node)) return Words.fromUTF16ToString(word);
      // Readable transitions first, so that among the shortest strings a readable one is found.
      const steps = [...node.out.entries()]
        .map(([range, to]) => ({ char: PREFERRED.find((c) => c >= range.min && c <= range.max) ?? range.min, to }))
        .sort((a, b) => rank(a.char) - rank(b.char));
      for (const { char, to } of steps) {
        if (!path.has(to)) {
          path.set(to, [...word, char]);
          queue.push(to);
        }
      }
    }
    return undefined;
  }
}

function rank(char: number): number {
  const i = PREFERRED.indexOf(char);
  return i === -1 ? PREFERRED.length + char : i;
}

/** Text as a regular expression that matches exactly it (metacharacters escaped). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export { MAX_CHARACTER };
