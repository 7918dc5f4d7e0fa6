import { ourDate, str } from '../context';
import { type Family, original } from './family';

/** incident, campaign -> Incident. */
export const incidents: Family = {
  name: 'incident',
  remember(_ctx, o, e) {
    e.name = str(o.name);
  },
  nodes(ctx, o, _file, add) {
    const e = ctx.index.get(o.id)!;
    const node = ctx.nodeOf(o);
    add(
      'Incident',
      {
        id: node,
        unverified: o.x_attribution_unverified === true,
        note: str(o.x_attribution_note),
        ...ctx.stixProps(o, e.modified),
        ...original(o),
        name: o.name,
        summary: str(o.description) ?? (o.name as string),
        kind: str(o.x_attribution_kind) ?? o.type,
        ...ourDate(o, 'startedAt', 'started', str(o.first_seen) ?? str(o.created)),
      },
      o.id,
    );
    return node;
  },
  links() {},
};
