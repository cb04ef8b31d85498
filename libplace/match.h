/*
 * match.h: kube-scheduler's matching rules (match.c): node selector
 * requirements and terms (NodeAffinity), and tolerations against taints
 * (TaintToleration). Pure functions of the model; no allocation.
 */
#ifndef PLACE_MATCH_H
#define PLACE_MATCH_H

#include "model.h"

/* validation.IsValidLabelValue: at most 63 characters, empty or
 * alphanumeric at both ends with [-_.] inside (also the name part of a
 * qualified name). */
bool place__valid_label_value(const char *s);

/* One requirement against a target. `field` selects matchFields
 * (metadata.name) over matchExpressions (labels). */
bool place__req_matches(const place__req *r, bool field,
                        const place__target *t, const place__policy *pol);

/* Would kube-scheduler's parser accept this matchExpressions requirement?
 * No when the decoder marked a value that is not a label value
 * (lazy_invalid), and for Gt/Lt on a key without an ordinal order in the
 * policy when the value is not a label value holding a base-10 int64
 * (labels.NewRequirement: "0204" is fine, "abc", "1.5", "-1", "" are not).
 * A requirement that does not parse makes its term match nothing in the
 * Filter, and makes kube-scheduler's PreScore fail for a preferred term. */
bool place__req_parses(const place__req *r, const place__policy *pol);

/* The first requirement of a term that does not parse, or NULL. */
const place__req *place__term_parse_error(const place__term *term,
                                          const place__policy *pol);

/* A term: every expression and every field requirement matches. A term
 * with neither matches nothing; a term with a value the scheduler cannot
 * parse matches nothing. When the target has no name, matchFields are
 * skipped (kube-scheduler gives such a node no fields). On a mismatch,
 * *bad_field and *bad_index (may be NULL) tell the first failing requirement
 * (index -1 for an empty or unparsable term). */
bool place__term_matches(const place__term *term, const place__target *t,
                         const place__policy *pol, bool *bad_field,
                         long *bad_index);

/* A required node selector: absent matches every target; present, some
 * term matches (and, for a target without a name, kube-scheduler's
 * PreFilter on metadata.name In sets). */
bool place__selector_matches(const place__selector *s,
                             const place__target *t,
                             const place__policy *pol);

/* nodeSelector: every pair is a label of the target. On a mismatch
 * *bad_index tells the first failing pair. */
bool place__node_selector_matches(const place__labels *sel,
                                  const place__target *t, size_t *bad_index);

/* ToleratesTaint: effect, key and operator rules, and the Gt/Lt threshold
 * operators (canonical int64 values, or positions of an ordinal key). */
bool place__tolerates(const place__toleration *tol, const place__taint *taint,
                      const place__policy *pol);

/* Does any of the tolerations tolerate the taint? With prefer_only, only
 * tolerations whose effect is PreferNoSchedule or empty count (the
 * TaintToleration score's rule). */
bool place__tolerated(const place__toleration *tols, size_t ntols,
                      const place__taint *taint, const place__policy *pol,
                      bool prefer_only);

#endif /* PLACE_MATCH_H */
