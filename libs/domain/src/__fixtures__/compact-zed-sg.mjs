// Stores each recorded group version once: `groups` maps "<id>@<revision>" to the group,
// and each case's `before` lists those keys per project (record-zed-sg.mjs calls this).
export function compact(out) {
  const groups = {};
  for (const c of Object.values(out.cases)) {
    for (const [project, list] of Object.entries(c.before)) {
      c.before[project] = list.map((g) => {
        const key = `${g.id}@${g.revision_number}`;
        groups[key] = g;
        return key;
      });
    }
  }
  return { ...out, groups };
}
