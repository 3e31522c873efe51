/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fault_cause.h - why a fault was slow, from its kind and call tree, by
 * the profile's "cause" rules (data, not code): the first rule whose
 * conditions all hold names the fault.
 *
 * A rule that needs the call tree cannot decide a fault without one
 * (events-only captures, lost events): such a fault is "unknown", not a
 * guess. A fault with a tree that no rule matches is "other".
 */
#ifndef KVMMMU_FAULT_CAUSE_H
#define KVMMMU_FAULT_CAUSE_H

#include <stdint.h>

#include "fault.h"

struct profile;
struct symbols;
struct cause_classifier;

struct cause_classifier *cause_classifier_new(const struct profile *prof,
					      const struct symbols *syms);
void cause_classifier_free(struct cause_classifier *cc);

/**
 * cause_classify() - the cause of @f
 * @cc:		classifier (caches what each function means to the rules)
 * @f:		a finished fault
 *
 * Allocates only to grow the per-function cache (amortized).
 * Return: a rule index, FAULT_CAUSE_OTHER or FAULT_CAUSE_UNKNOWN.
 */
uint8_t cause_classify(struct cause_classifier *cc, const struct fault *f);

/* Name of @cause: the rule's name, "other" or "unknown". */
const char *fault_cause_name(const struct profile *prof, uint8_t cause);

#endif /* KVMMMU_FAULT_CAUSE_H */
