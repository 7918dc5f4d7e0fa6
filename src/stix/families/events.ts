import { ourDate, str } from '../context';
import { type Family, original } from './family';
import { sourceNodes } from './evidence';

/** x-attribution-event (our new SDO) -> Event IN its incident, CITES, INVOLVES actors (roles). */
export const events: Family = {
  name: 'event',
  remember(_ctx, o, e) {
    e.name = str(o.name);
  },
  nodes(ctx, o, _file, add) {
    const e = ctx.index.get(o.id)!;
    const node = ctx.nodeOf(o);
    if (!ctx.refNode(o.x_attribution_incident_ref, 'incident')) return undefined;
    add(
      'Event',
      {
        id: node,
        unverified: o.x_attribution_unverified === true,
        note: str(o.x_attribution_note),
        ...ctx.stixProps(o, e.modified),
        ...original(o),
        title: o.name,
        description: str(o.description),
        kind: str(o.x_attribution_kind),
        ...ourDate(o, 'date', 'date', str(o.created)),
      },
      o.id,
    );
    return node;
  },
  links(ctx, o, _file, t) {
    const node = ctx.nodeOf(o);
    t.link('IN', node, ctx.refNode(o.x_attribution_incident_ref, 'incident')!);
    for (const s of sourceNodes(ctx, o.x_attribution_source_refs)) t.link('CITES', node, s);
    const participants =
      (o.x_attribution_participants as { actor_ref: string; roles: string[] }[] | undefined) ?? [];
    for (const p of participants) {
      const actor = ctx.refNode(p.actor_ref, 'actor');
      if (actor) t.link('INVOLVES', node, actor, { roles: p.roles });
    }
  },
};
