/* Delta frames: NM.applyPatch, the twin of realtime/deltas.py's `apply` (README, "Delta frames").
   The row schema (payloads.delta_schema: row fields in order, count fields, derived fields) comes
   from the page's `nm-delta-schema` JSON, so the two languages read one declaration. */
(function () {
  "use strict";

  var NM = (window.NM = window.NM || {});
  var pageSchema = null;

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isRows(value) {
    return Array.isArray(value) && value.length > 0 && isObject(value[0]);
  }

  /** payloads.percent: the share rounded half up. */
  NM.percent = function (count, total) {
    return total > 0 ? Math.floor((count * 200 + total) / (total * 2)) : 0;
  };

  /** `row` with `field` set to `value`, fields in their declared order; `row` itself if it has it. */
  function withField(s, name, row, field, value) {
    if (field in row && row[field] === value) return row;
    var out = {};
    s.fields[name].forEach(function (f) {
      if (f === field) out[f] = value;
      else if (f in row) out[f] = row[f];
    });
    return out;
  }

  function deriveSum(s, name, row) {
    if (s.summed.indexOf(name) < 0 || !isRows(row.children)) return row;
    var total = row.children.reduce(function (a, child) {
      return a + child.count;
    }, 0);
    return withField(s, name, row, "count", total);
  }

  /** Recompute, in place, the shares of the lists of `owner` whose rows or total were touched. */
  function deriveShares(s, owner, touched) {
    Object.keys(s.shares).forEach(function (name) {
      var total = s.shares[name];
      if ((touched.indexOf(name) < 0 && touched.indexOf(total) < 0) || !Array.isArray(owner[name])) return;
      if (!(total in owner)) return;
      owner[name] = owner[name].map(function (row) {
        return withField(s, name, row, "percent", NM.percent(row.count, owner[total]));
      });
    });
  }

  /** A new row as sent, with its derived fields (nested rows' first). */
  function complete(s, name, sent) {
    var row = {};
    Object.keys(sent).forEach(function (field) {
      var value = sent[field];
      row[field] = isRows(value) ? value.map(function (child) { return complete(s, field, child); }) : value;
    });
    row = deriveSum(s, name, row);
    deriveShares(s, row, Object.keys(row));
    return row;
  }

  function applyRows(s, name, old, patch) {
    var rows = patch.o ? [] : old.slice();
    (patch.o || []).forEach(function (entry) {
      if (typeof entry === "number") rows.push(old[entry]);
      else if (Array.isArray(entry)) rows.push.apply(rows, old.slice(entry[0], entry[0] + entry[1]));
      else rows.push(complete(s, name, entry));
    });
    var updates = patch.u || [];
    for (var k = 0; k < updates.length; k += 2) {
      var index = updates[k];
      var change = updates[k + 1];
      var row = rows[index];
      var fieldPatch = {};
      if (typeof change === "number") {
        var count = s.counts[name];
        fieldPatch[count] = row[count] + change;
      } else {
        for (var i = 0; i < change.length; i += 2) fieldPatch[s.fields[name][change[i]]] = change[i + 1];
      }
      rows[index] = deriveSum(s, name, apply(s, row, fieldPatch));
    }
    return rows;
  }

  function apply(s, old, patch) {
    var out = {};
    Object.keys(old).forEach(function (name) {
      out[name] = old[name];
    });
    var touched = Object.keys(patch);
    touched.forEach(function (name) {
      var change = patch[name];
      var before = old[name];
      if (isObject(change) && isObject(before)) out[name] = apply(s, before, change);
      else if (isObject(change) && Array.isArray(before)) out[name] = applyRows(s, name, before, change);
      else out[name] = change;
    });
    deriveShares(s, out, touched);
    return out;
  }

  /**
   * `old` with an ObjectPatch applied, as a new object (`old` and `patch` are left as they were).
   * A field's patch is, by its old value: an object -> a patch of it; a list of rows -> {o: new
   * order (old index, [first old index, count] or new row less its derived fields), u: [new
   * index, row patch, ...]}; anything else -> the new value. A row patch is a number (what the
   * row's count gained) or [field index, change, ...]. `schema` defaults to the page's.
   */
  NM.applyPatch = function (old, patch, schema) {
    if (!schema) schema = pageSchema = pageSchema || NM.readJson("nm-delta-schema");
    return apply(schema, old, patch);
  };
})();
