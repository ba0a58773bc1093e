/** The names a mustache template asks for that a view lacks: a template test's check that no field renders empty. */
import Mustache from 'mustache';

/** A mustache context that records every name the template asks for and the view does not have. */
class RecordingContext extends Mustache.Context {
  constructor(view: unknown, parent: Mustache.Context | undefined, readonly misses: Set<string>) {
    super(view, parent);
  }
  override push(view: unknown): Mustache.Context {
    return new RecordingContext(view, this, this.misses);
  }
  override lookup(name: string): unknown {
    const value: unknown = super.lookup(name);
    if (value === undefined) this.misses.add(name);
    return value;
  }
}

export function missingNames(template: string, view: unknown): string[] {
  const misses = new Set<string>();
  Mustache.render(template, new RecordingContext(view, undefined, misses));
  return [...misses];
}
