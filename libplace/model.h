/*
 * model.h: what the decoder produces and every later stage reads.
 *
 * All strings and arrays live in the problem's arena. Lists that are
 * compared (labels, resources) are kept sorted by key, so lookups are binary
 * searches and every later stage is deterministic. The canonical order of
 * workloads (namespace, name, kind) and targets (name) is fixed by
 * place__model_finalize(), once.
 */
#ifndef PLACE_MODEL_H
#define PLACE_MODEL_H

#include "internal.h"

/* ---- labels and resources ---------------------------------------------- */
typedef struct place__kv {
    const char *key;
    const char *value;
} place__kv;

typedef struct place__labels {
    size_t count;
    place__kv *items; /* sorted by key, keys unique */
} place__labels;

/* One resource amount: cpu in millicores, everything else in base units. */
typedef struct place__res {
    const char *name;
    int64_t value;
} place__res;

typedef struct place__reslist {
    size_t count;
    place__res *items; /* sorted by name, names unique */
} place__reslist;

/* The value of a label, or NULL when the key is absent. */
const char *place__labels_get(const place__labels *l, const char *key);
/* The amount of a resource, or 0 when absent (found tells which). */
int64_t place__reslist_get(const place__reslist *l, const char *name,
                           bool *found);

/* ---- node selectors ------------------------------------------------------ */
typedef enum place__op {
    PLACE__OP_IN = 0,
    PLACE__OP_NOT_IN,
    PLACE__OP_EXISTS,
    PLACE__OP_DOES_NOT_EXIST,
    PLACE__OP_GT,
    PLACE__OP_LT
} place__op;

typedef struct place__req {
    const char *key;
    place__op op;
    size_t nvalues;
    const char **values;
    /* A value the scheduler's lazy parser refuses (not a valid label value):
     * the API server admits it, the scheduler's Filter then treats the
     * whole term as matching nothing. */
    bool lazy_invalid;
    place__pos pos;     /* of the requirement mapping */
    const char *path;   /* "spec.template.spec.affinity...[0]" */
} place__req;

typedef struct place__term {
    size_t nexprs;
    place__req *exprs;  /* matchExpressions: on labels */
    size_t nfields;
    place__req *fields; /* matchFields: metadata.name */
    const char *path;
} place__term;

typedef struct place__selector {
    bool present;       /* required affinity given at all */
    size_t nterms;
    place__term *terms; /* ORed */
} place__selector;

typedef struct place__pref {
    int32_t weight;     /* 1..100 (the decoder refuses anything else) */
    place__term term;
} place__pref;

/* ---- taints and tolerations ---------------------------------------------- */
typedef enum place__effect {
    PLACE__EFFECT_ANY = 0, /* tolerations only: empty effect */
    PLACE__EFFECT_NO_SCHEDULE,
    PLACE__EFFECT_PREFER_NO_SCHEDULE,
    PLACE__EFFECT_NO_EXECUTE
} place__effect;

typedef enum place__tol_op {
    PLACE__TOL_EQUAL = 0,
    PLACE__TOL_EXISTS,
    PLACE__TOL_GT,
    PLACE__TOL_LT
} place__tol_op;

typedef struct place__taint {
    const char *key;
    const char *value;  /* "" when absent */
    place__effect effect;
} place__taint;

typedef struct place__toleration {
    const char *key;    /* "" when absent */
    place__tol_op op;
    const char *value;  /* "" when absent */
    place__effect effect;
    bool added;         /* added by the namespace's offloading policy */
} place__toleration;

/* ---- policy ---------------------------------------------------------------- */
typedef struct place__ordinal {
    const char *key;
    size_t count;
    const char **order; /* low .. high */
} place__ordinal;

typedef struct place__policy {
    bool present;
    const char *name;
    place__pos pos;
    double time_limit;  /* seconds; 0 = none */
    double mip_gap;     /* -1 = not set */
    int64_t max_nodes;  /* branch-and-bound nodes per stage; 0 = default */
    /* objective weights (1 by default) */
    double w_affinity;  /* multiplies preferred affinity weights */
    double w_taint;     /* multiplies the PreferNoSchedule penalty */
    double w_cost;      /* multiplies cost */
    double w_move;      /* cost of moving one replica (default 1) */
    size_t nordinals;
    place__ordinal *ordinals;
} place__policy;

/* Position of `value` in the order of an ordinal key, -1 when the key has no
 * order or the value is not in it. */
int place__policy_ordinal(const place__policy *p, const char *key,
                          const char *value, bool *has_order);

/* ---- namespace offloading (Liqo) ----------------------------------------- */
typedef enum place__offload_strategy {
    PLACE__OFFLOAD_LOCAL_AND_REMOTE = 0,
    PLACE__OFFLOAD_LOCAL,
    PLACE__OFFLOAD_REMOTE
} place__offload_strategy;

typedef struct place__offloading {
    const char *ns;
    const char *object; /* "NamespaceOffloading ns/offloading" */
    place__offload_strategy strategy;
    place__selector cluster_selector; /* as written (may be absent/empty) */
    /* The constraint the webhook ANDs into the pod's required terms: for
     * Remote, one term `liqo.io/type In [virtual-node]`; for LocalAndRemote
     * with a non-empty clusterSelector, its terms plus
     * `liqo.io/type NotIn [virtual-node]`. Not present otherwise. */
    place__selector constraint;
    place__pos pos;
} place__offloading;

/* ---- workloads and targets ------------------------------------------------- */
typedef enum place__kind {
    PLACE__KIND_POD = 0,
    PLACE__KIND_DEPLOYMENT,
    PLACE__KIND_REPLICASET,
    PLACE__KIND_STATEFULSET,
    PLACE__KIND_JOB,
    PLACE__KIND_NODE,
    PLACE__KIND_CLUSTER_ADVERTISEMENT,
    PLACE__KIND_PRIORITY_CLASS,
    PLACE__KIND_NAMESPACE_OFFLOADING,
    PLACE__KIND_PLACEMENT_POLICY,
    PLACE__KIND_PLACEMENT_RESULT,
    PLACE__KIND_OTHER
} place__kind;

const char *place__kind_name(place__kind k);
/* The workload kind named `name` (Pod .. Job), or PLACE__KIND_OTHER. */
place__kind place__workload_kind(const char *name);

/* Where replicas of a workload run now (status.placement, or a previous
 * PlacementResult given as input): the input of the move cost. */
typedef struct place__current {
    const char *target;  /* target name as written */
    long ti;             /* index of the target after finalize; -1 when there
                            is no such target */
    int64_t replicas;
    place__pos pos;      /* of the entry */
} place__current;

typedef struct place__workload {
    place__kind kind;
    const char *ns;
    const char *name;
    const char *object;     /* "Deployment default/frontend" */
    place__pos pos;         /* of the document */
    int64_t replicas;
    int32_t priority;
    const char *priority_class;  /* NULL when not set */
    place__pos priority_class_pos;
    bool has_priority;           /* spec.priority given */
    place__labels node_selector;
    place__selector required;
    size_t nprefs;
    place__pref *prefs;
    size_t ntols;
    place__toleration *tols;     /* own, then offloading's (added) */
    place__reslist requests;     /* effective, per replica, with pods: 1 */
    const char *node_name;       /* bound to this target (Pod only) */
    place__pos node_name_pos;
    const char *spec_path;       /* "spec" or "spec.template.spec" */
    const place__offloading *offloading; /* set by finalize, or NULL */
    size_t nowntols;             /* tolerations written in the document */
    size_t seq;                  /* order of reading, for messages */
    /* Where replicas run now; after finalize sorted by ti, duplicates
     * merged, entries of 0 replicas dropped, entries with ti == -1 (no such
     * target) kept at the end, by name. From status.placement when the
     * document has one (current_from_status, even an empty list), else
     * from a PlacementResult given as input, else none. */
    size_t ncurrent;
    place__current *current;
    bool current_from_status;
} place__workload;

typedef struct place__target {
    place__kind kind;            /* NODE or CLUSTER_ADVERTISEMENT */
    const char *name;
    const char *object;
    place__pos pos;
    bool is_virtual;
    bool unschedulable;
    place__labels labels;        /* with Liqo's labels for virtual CAs */
    size_t ntaints;
    place__taint *taints;        /* with Liqo's taint for virtual CAs */
    place__reslist allocatable;
    place__reslist allocated;    /* spec.allocated (CA) */
    bool pods_unlimited;         /* CA without a pods allocatable */
    bool has_largest;
    place__reslist largest;      /* spec.largestNode */
    size_t nprices;
    const char **price_names;    /* spec.price: per core / GiB / unit */
    double *prices;
    double cost;                 /* spec.cost, per hour */
    size_t nowntaints;           /* before finalize adds unschedulable's */
    size_t seq;
} place__target;

/* One workload of a PlacementResult given as input (a previous result):
 * its assignments become the `current` of the workload of the same kind,
 * namespace and name, when the problem has one (resolved by finalize). */
typedef struct place__previous {
    place__kind kind;            /* a workload kind; others are not kept */
    const char *ns;
    const char *name;
    size_t ncurrent;
    place__current *current;     /* the assignments, as written */
    place__pos pos;              /* of the workloads[] entry */
} place__previous;

typedef struct place__priority_class {
    const char *name;
    int32_t value;
    bool global_default;
    place__pos pos;
} place__priority_class;

/* ---- the model --------------------------------------------------------------- */
typedef struct place__model {
    place__arena arena;
    size_t documents;
    size_t ignored;

    size_t nworkloads, capworkloads;
    place__workload *workloads;
    size_t ntargets, captargets;
    place__target *targets;
    size_t nclasses, capclasses;
    place__priority_class *classes;
    size_t noffloadings, capoffloadings;
    place__offloading *offloadings;
    size_t nprevious, capprevious;
    place__previous *previous;   /* from PlacementResult documents */
    place__policy policy;

    size_t nextseq;
    bool finalized; /* sorted and cross-checked since the last add */
} place__model;

void place__model_init(place__model *m, place_ctx *ctx);

/* What a model holds before a source is added, to roll back to when the
 * source is refused: a refused source leaves no trace. */
typedef struct place__model_mark {
    size_t nworkloads, ntargets, nclasses, noffloadings, nprevious, documents,
        ignored;
    place__policy policy;
} place__model_mark;

void place__model_mark_take(const place__model *m, place__model_mark *mk);
void place__model_rollback(place__model *m, const place__model_mark *mk);
void place__model_free(place__model *m);

/*
 * Decode the documents of one source into the model (decoder.c). On error
 * the model is left as it was before the call.
 */
struct place__docs;
int place__decode(place_ctx *ctx, place__model *m,
                  const struct place__docs *docs, const char *source);

/*
 * Sort workloads and targets canonically, resolve priorities, namespace
 * offloading and bound pods, and check cross-document references. Resolve
 * the current placement of every workload (place__workload.current): a
 * status.placement wins over a PlacementResult; a PlacementResult entry
 * for a workload the problem lacks, or for a bound Pod, is ignored.
 */
int place__model_finalize(place_ctx *ctx, place__model *m);

/* Index of a target by name, or -1. Only after finalize. */
long place__model_find_target(const place__model *m, const char *name);

#endif /* PLACE_MODEL_H */
