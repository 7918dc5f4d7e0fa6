import { ourDate, str } from '../context';
import type { Family } from './family';
import { itemLinks, itemNode } from './incidentItem';

/** x-attribution-event (our new SDO) -> Event IN its incident, CITES, INVOLVES actors (roles). */
export const events: Family = {
  name: 'event',
  remember(_ctx, o, e) {
    e.name = str(o.name);
  },
  nodes(ctx, o, _file, add) {
    const item = itemNode(ctx, o);
    if (!item) return undefined;
    add(
      'Event',
      {
        ...item.props,
        kind: str(o.x_attribution_kind),
        ...ourDate(o, 'date', 'date', str(o.created)),
      },
      o.id,
    );
    return item.node;
  },
  links(ctx, o, _file, t) {
    const node = itemLinks(ctx, o, t, 'IN');
    const participants =
      (o.x_attribution_participants as { actor_ref: string; roles: string[] }[] | undefined) ?? [];
    for (const p of participants) {
      const actor = ctx.refNode(p.actor_ref, 'actor');
      if (actor) t.link('INVOLVES', node, actor, { roles: p.roles });
    }
  },
};
