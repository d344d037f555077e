/* clausewise: an id or a clause number typed into the search box finds its item first.
 *
 * Sphinx's searchtools.js splits a query at every character that is not a letter, a digit
 * or "_": "PRC-012" is looked up as "prc" and "012", "8.6.3" as "8", "6" and "3", so the
 * item is found among its namesakes but not ranked first. The clausewise domain lists every
 * id and clause number as a search object (clausewise.sphinxext.search); this script, loaded
 * on the search page alone and deferred so that it runs after searchtools.js and before the
 * query, adds the query as typed (one word, trimmed, in lower case) to the object terms
 * (an object must then hold all of it) and ranks the object named exactly so above all else.
 */
"use strict";
(() => {
  // Scorer.score is the hook searchtools.js offers for tweaking scores; Search._parseQuery is internal
  // (as in Sphinx 9): without either, Sphinx's own search runs unchanged
  if (typeof Search === "undefined" || typeof Scorer === "undefined") return;
  if (typeof Search._parseQuery !== "function") return;
  // above any score Sphinx gives (a title at most 16, an object 26, an index entry 100)
  const EXACT_NAME = 1000;
  let typed = "";
  const parseQuery = Search._parseQuery;
  Search._parseQuery = (query) => {
    const parsed = parseQuery(query);
    const word = query.trim().toLowerCase();
    typed = /\s/.test(word) ? "" : word;
    // parsed is [query, searchTerms, excludedTerms, highlightTerms, objectTerms]
    if (typed) parsed[4].add(typed);
    return parsed;
  };
  const score = Scorer.score;
  Scorer.score = (result) => {
    // result is [docname, title (an object's name), anchor, description, score, filename, kind]
    const base = score ? score(result) : result[4];
    const exact = typed && result[6] === "object" && result[1].toLowerCase() === typed;
    return exact ? base + EXACT_NAME : base;
  };
})();
