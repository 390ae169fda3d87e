// Named, timed checks grouped in sections. A failed check ends its section
// (later checks in it build on what failed) but not the run.

export interface CheckResult {
  section: string;
  name: string;
  ok: boolean;
  /** What was checked, or why it failed. */
  detail: string;
  ms: number;
}

export interface SectionResult {
  title: string;
  checks: CheckResult[];
  /** Set when a failure stopped the section early. */
  aborted: boolean;
}

export interface VerifyReport {
  stack: string;
  sections: SectionResult[];
  ms: number;
}

export const passed = (r: VerifyReport): boolean =>
  r.sections.every((s) => s.checks.every((c) => c.ok));

export const allChecks = (r: VerifyReport): CheckResult[] => r.sections.flatMap((s) => s.checks);

class SectionAborted extends Error {}

export class Section {
  readonly result: SectionResult;

  constructor(
    title: string,
    private readonly onCheck: (c: CheckResult) => void,
  ) {
    this.result = { title, checks: [], aborted: false };
  }

  private record(name: string, ok: boolean, detail: string, ms: number): void {
    const c: CheckResult = { section: this.result.title, name, ok, detail, ms };
    this.result.checks.push(c);
    this.onCheck(c);
  }

  /** Runs one check; on failure records it and stops the section. */
  async check(name: string, body: () => Promise<string | void>): Promise<void> {
    await this.value(name, async () => [(await body()) ?? "", undefined] as const);
  }

  /** A check whose result later checks use. */
  async value<T>(name: string, body: () => Promise<readonly [string, T]>): Promise<T> {
    const start = performance.now();
    try {
      const [detail, value] = await body();
      this.record(name, true, detail, performance.now() - start);
      return value;
    } catch (e) {
      this.record(name, false, describeFailure(e), performance.now() - start);
      throw new SectionAborted();
    }
  }
}

/** Failures read as the WIT error when there is one, so a trap never passes as an err. */
export function describeFailure(e: unknown): string {
  if (typeof e === "object" && e !== null && "payload" in e) {
    return `log-error ${JSON.stringify((e as { payload: unknown }).payload, bigintJson)}`;
  }
  if (e instanceof WebAssembly.RuntimeError) return `trap: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}

export const bigintJson = (_: string, v: unknown): unknown =>
  typeof v === "bigint" ? v.toString() : v;

/** Called as the run progresses, so a report can be printed live. */
export interface RunListener {
  section?(title: string): void;
  check?(c: CheckResult): void;
}

export class Runner {
  readonly sections: SectionResult[] = [];
  private readonly start = performance.now();

  constructor(
    readonly stack: string,
    private readonly listener: RunListener = {},
  ) {}

  /** Runs a section; an unexpected throw outside a check is recorded as a failed check. */
  async section(title: string, body: (s: Section) => Promise<void>): Promise<void> {
    this.listener.section?.(title);
    const s = new Section(title, (c) => this.listener.check?.(c));
    this.sections.push(s.result);
    try {
      await body(s);
    } catch (e) {
      s.result.aborted = true;
      if (!(e instanceof SectionAborted)) {
        const c = { section: title, name: "(setup)", ok: false, detail: describeFailure(e), ms: 0 };
        s.result.checks.push(c);
        this.listener.check?.(c);
      }
    }
  }

  report(): VerifyReport {
    return { stack: this.stack, sections: this.sections, ms: performance.now() - this.start };
  }
}
