import type { AddLink, AddNode, Entry, ImportContext, Props } from '../context';
import type { TechnicalLinkType } from '../../model';
import type { Checked } from '../reader';

/** What the links pass hands a family besides plain links. */
export interface LinkTools {
  link: AddLink;
  /** A source gets its publisher once per import. */
  publish(source: string, publisher: string): void;
  /** A claim cites sources (each published by `publisher`). */
  cite(claim: string, sources: { id: string }[], publisher: string): void;
  /** An alias claim of `subject` naming `name`: the target is resolved against the database. */
  alias(subject: string, name: string, claim: string): void;
  /** A claimed affiliation (PART_OF, listing the claims asserting it). */
  partOf(from: string, to: string, claim: string, role: string | undefined): void;
  /** A technical link asserted by a claim (USES, OBSERVED_IN, ...: listing the claims). */
  claimLink(type: TechnicalLinkType, from: string, to: string, claim: string): void;
}

/**
 * One STIX family: how its objects are indexed (read pass), which nodes they become (nodes
 * pass) and which relationships (links pass). `nodes` returns the primary node id, or undefined
 * when the family cannot map this object (the generic family then keeps it as a StixObject).
 */
export interface Family {
  name: string;
  remember?(ctx: ImportContext, o: Checked, e: Entry): void;
  nodes(ctx: ImportContext, o: Checked, file: number, add: AddNode): string | undefined;
  links(ctx: ImportContext, o: Checked, file: number, t: LinkTools): void;
}

/** Rows for a creator or a cited source that an object needs. */
export function needs(add: AddNode, x: { fallback?: Props } | { row: Props }): void {
  if ('fallback' in x && x.fallback) add('Actor', x.fallback);
  if ('row' in x) add('Source', x.row);
}

/** The original object, kept on its primary node so that export gives it back unchanged. */
export const original = (o: Checked): Props => ({ stixJson: JSON.stringify(o) });
