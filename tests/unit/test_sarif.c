/*
 * Structural check of SARIF against what GitHub code scanning requires of
 * an upload (docs.github.com, "SARIF support for code scanning"): version
 * 2.1.0; runs[].tool.driver.name; rules with unique ids (and ruleIndex,
 * when given, pointing at the rule of the same id); results with a ruleId
 * among the rules, message.text, a level GitHub knows, locations[0] with a
 * physicalLocation whose artifactLocation.uri is relative (its uriBaseId,
 * when given, declared in originalUriBaseIds) and region.startLine >= 1;
 * partialFingerprints; related and thread-flow locations of the same shape;
 * and GitHub's size limits.
 *
 * Checked: the committed example (tests/sarif/example.sarif, written by
 * `locklint --format sarif` for the demo project), and what ll_output_sarif
 * writes now for a report with notes, flows, an absolute path outside the
 * base and a path with a space.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "output.h"
#include "suppress.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#ifndef LL_SOURCE_DIR
#define LL_SOURCE_DIR "."
#endif

#define GH_MAX_RESULTS 25000
#define GH_MAX_RULES 25000
#define GH_MAX_LOCATIONS 1000
#define GH_MAX_FLOW_LOCATIONS 10000

static char problem[512];

static bool failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof(problem), fmt, ap);
    va_end(ap);
    return false;
}

static const char *str_at(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A physicalLocation as code scanning needs it; `where` names it. */
static bool check_physical(json_t *run, json_t *loc, bool need_relative, const char *where)
{
    json_t *phys = json_object_get(loc, "physicalLocation");
    json_t *art = json_object_get(phys, "artifactLocation");
    const char *uri = str_at(art, "uri");
    if (!uri || !*uri)
        return failf("%s: no physicalLocation.artifactLocation.uri", where);
    const char *base = str_at(art, "uriBaseId");
    if (base) {
        json_t *ids = json_object_get(run, "originalUriBaseIds");
        if (!json_object_get(ids, base))
            return failf("%s: uriBaseId '%s' not declared in originalUriBaseIds", where, base);
    }
    bool absolute = uri[0] == '/' || strncmp(uri, "file:", 5) == 0;
    if (need_relative && absolute)
        return failf("%s: uri '%s' is not relative to the repository", where, uri);
    if (absolute && strncmp(uri, "file:///", 8) != 0)
        return failf("%s: absolute uri '%s' is not a file:/// URI", where, uri);
    if (strchr(uri, ' ') || strchr(uri, '\\'))
        return failf("%s: uri '%s' is not percent-encoded", where, uri);
    json_t *region = json_object_get(phys, "region");
    json_t *line = json_object_get(region, "startLine");
    if (!json_is_integer(line) || json_integer_value(line) < 1)
        return failf("%s: region.startLine missing or < 1", where);
    json_t *col = json_object_get(region, "startColumn");
    if (col && (!json_is_integer(col) || json_integer_value(col) < 1))
        return failf("%s: region.startColumn < 1", where);
    return true;
}

static bool check_result(json_t *run, json_t *rules, json_t *res, size_t i, bool need_relative)
{
    char where[160];
    snprintf(where, sizeof(where), "results[%zu]", i);
    const char *rule = str_at(res, "ruleId");
    if (!rule || !*rule)
        return failf("%s: no ruleId", where);
    size_t found = SIZE_MAX;
    for (size_t k = 0; k < json_array_size(rules); k++)
        if (strcmp(str_at(json_array_get(rules, k), "id"), rule) == 0)
            found = k;
    if (found == SIZE_MAX)
        return failf("%s: ruleId '%s' is not in tool.driver.rules", where, rule);
    json_t *idx = json_object_get(res, "ruleIndex");
    if (idx && (!json_is_integer(idx) || (size_t)json_integer_value(idx) != found))
        return failf("%s: ruleIndex does not point at rule '%s'", where, rule);
    const char *text = str_at(json_object_get(res, "message"), "text");
    if (!text || !*text)
        return failf("%s: no message.text", where);
    const char *level = str_at(res, "level");
    if (level && strcmp(level, "none") != 0 && strcmp(level, "note") != 0 &&
        strcmp(level, "warning") != 0 && strcmp(level, "error") != 0)
        return failf("%s: level '%s'", where, level);
    json_t *locs = json_object_get(res, "locations");
    if (!json_is_array(locs) || json_array_size(locs) < 1)
        return failf("%s: no locations", where);
    if (json_array_size(locs) > GH_MAX_LOCATIONS)
        return failf("%s: more than %d locations", where, GH_MAX_LOCATIONS);
    if (!check_physical(run, json_array_get(locs, 0), need_relative, where))
        return false;
    json_t *fps = json_object_get(res, "partialFingerprints");
    if (!json_is_object(fps) || json_object_size(fps) == 0)
        return failf("%s: no partialFingerprints", where);
    const char *k;
    json_t *v;
    json_object_foreach(fps, k, v)
    {
        if (!json_is_string(v) || !*json_string_value(v))
            return failf("%s: partialFingerprints.%s is not a string", where, k);
    }
    json_t *rel = json_object_get(res, "relatedLocations");
    if (rel && !json_is_array(rel))
        return failf("%s: relatedLocations is not an array", where);
    if (json_array_size(rel) > GH_MAX_LOCATIONS)
        return failf("%s: more than %d relatedLocations", where, GH_MAX_LOCATIONS);
    for (size_t r = 0; r < json_array_size(rel); r++) {
        snprintf(where, sizeof(where), "results[%zu].relatedLocations[%zu]", i, r);
        if (!check_physical(run, json_array_get(rel, r), false, where))
            return false;
    }
    json_t *flows = json_object_get(res, "codeFlows");
    for (size_t f = 0; f < json_array_size(flows); f++) {
        json_t *tfs = json_object_get(json_array_get(flows, f), "threadFlows");
        if (!json_is_array(tfs) || json_array_size(tfs) == 0)
            return failf("results[%zu].codeFlows[%zu]: no threadFlows", i, f);
        for (size_t t = 0; t < json_array_size(tfs); t++) {
            json_t *tl = json_object_get(json_array_get(tfs, t), "locations");
            if (!json_is_array(tl) || json_array_size(tl) == 0 ||
                json_array_size(tl) > GH_MAX_FLOW_LOCATIONS)
                return failf("results[%zu].codeFlows[%zu].threadFlows[%zu]: bad locations", i, f,
                             t);
            for (size_t s = 0; s < json_array_size(tl); s++) {
                snprintf(where, sizeof(where), "results[%zu] flow %zu.%zu step %zu", i, f, t, s);
                if (!check_physical(run, json_object_get(json_array_get(tl, s), "location"), false,
                                    where))
                    return false;
            }
        }
    }
    return true;
}

/* True when `root` is SARIF GitHub accepts; else `problem` says why.
 * With need_relative, every primary location must be in the repository. */
static bool check_sarif(json_t *root, bool need_relative)
{
    if (!json_is_object(root))
        return failf("not a JSON object");
    const char *version = str_at(root, "version");
    if (!version || strcmp(version, "2.1.0") != 0)
        return failf("version is not \"2.1.0\"");
    json_t *runs = json_object_get(root, "runs");
    if (!json_is_array(runs) || json_array_size(runs) == 0)
        return failf("no runs");
    for (size_t ri = 0; ri < json_array_size(runs); ri++) {
        json_t *run = json_array_get(runs, ri);
        json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
        const char *name = str_at(driver, "name");
        if (!name || !*name)
            return failf("runs[%zu]: no tool.driver.name", ri);
        json_t *rules = json_object_get(driver, "rules");
        if (!json_is_array(rules) || json_array_size(rules) > GH_MAX_RULES)
            return failf("runs[%zu]: tool.driver.rules missing or too long", ri);
        for (size_t k = 0; k < json_array_size(rules); k++) {
            json_t *rule = json_array_get(rules, k);
            const char *id = str_at(rule, "id");
            if (!id || !*id)
                return failf("rules[%zu]: no id", k);
            for (size_t j = 0; j < k; j++)
                if (strcmp(str_at(json_array_get(rules, j), "id"), id) == 0)
                    return failf("rules[%zu]: id '%s' twice", k, id);
            json_t *sd = json_object_get(rule, "shortDescription");
            if (sd && !str_at(sd, "text"))
                return failf("rules[%zu]: shortDescription without text", k);
            json_t *tags = json_object_get(json_object_get(rule, "properties"), "tags");
            if (json_array_size(tags) > 20)
                return failf("rules[%zu]: more than 20 tags", k);
        }
        json_t *results = json_object_get(run, "results");
        if (!json_is_array(results) || json_array_size(results) > GH_MAX_RESULTS)
            return failf("runs[%zu]: results missing or too many", ri);
        for (size_t i = 0; i < json_array_size(results); i++)
            if (!check_result(run, rules, json_array_get(results, i), i, need_relative))
                return false;
    }
    return true;
}

static void test_committed_example(void **state)
{
    (void)state;
    json_error_t je;
    json_t *root = json_load_file(LL_SOURCE_DIR "/tests/sarif/example.sarif", 0, &je);
    if (!root) {
        print_error("tests/sarif/example.sarif:%d: %s\n", je.line, je.text);
        fail();
    }
    if (!check_sarif(root, true)) {
        print_error("tests/sarif/example.sarif: %s\n", problem);
        fail();
    }
    /* a reviewed example shows something: findings with notes and flows */
    json_t *results = json_object_get(json_array_get(json_object_get(root, "runs"), 0), "results");
    assert_true(json_array_size(results) > 0);
    bool flows = false, related = false;
    for (size_t i = 0; i < json_array_size(results); i++) {
        flows = flows || json_object_get(json_array_get(results, i), "codeFlows");
        related = related || json_object_get(json_array_get(results, i), "relatedLocations");
    }
    assert_true(related);
    assert_true(flows);
    json_decref(root);
}

/* Writes a report with ll_output_sarif and parses it back. */
static json_t *sarif_of_notes(const struct ll_report *r, const struct ll_rule_info *rules, size_t n,
                              const struct ll_tool_note *notes, size_t nnotes)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    struct ll_output_opts o = {.base_dir = "/work/proj",
                               .version = "9.9.9",
                               .rules = rules,
                               .nrules = n,
                               .notes = notes,
                               .nnotes = nnotes};
    assert_int_equal(ll_output_sarif(f, r, &o), 0);
    rewind(f);
    json_error_t je;
    json_t *root = json_loadf(f, 0, &je);
    fclose(f);
    assert_non_null(root);
    return root;
}

static json_t *sarif_of(const struct ll_report *r, const struct ll_rule_info *rules, size_t n)
{
    return sarif_of_notes(r, rules, n, NULL, 0);
}

static const struct ll_rule_info rules[] = {
    {"double-lock", "a lock taken twice", "doc", LL_SEV_WARNING},
    {"lock-order-inversion", "deadlock", "doc", LL_SEV_WARNING},
};

static void test_fresh_output(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site a = {"src/a file.c", 12, 5, NULL}, b = {"/work/proj/src/b.c", 0, 0, NULL};
    struct ll_finding *f = ll_report_add(&r, "lock-order-inversion", LL_SEV_WARNING, &a, "worker",
                                         "a,b", "'a' acquired while holding 'b'");
    assert_non_null(f);
    assert_int_equal(ll_finding_note(&r, f, &b, "'b' acquired while holding 'a' here"), 0);
    struct ll_site steps[2] = {{"src/a file.c", 10, 5, "acquires 'b'"},
                               {"src/a file.c", 12, 5, "acquires 'a'"}};
    assert_int_equal(ll_finding_flow(&r, f, "worker", steps, 2), 0);
    struct ll_site c = {"/work/proj/src/c.c", 3, 1, NULL};
    assert_non_null(ll_report_add(&r, "double-lock", LL_SEV_ERROR, &c, NULL, "m", "twice"));
    ll_report_finish(&r);
    json_t *root = sarif_of(&r, rules, 2);
    if (!check_sarif(root, true)) {
        print_error("fresh SARIF: %s\n", problem);
        fail();
    }
    json_decref(root);

    /* the checker can fail: a result whose rule is not described */
    root = sarif_of(&r, rules, 1);
    assert_false(check_sarif(root, true));
    assert_non_null(strstr(problem, "not in tool.driver.rules"));
    json_decref(root);
    ll_report_release(&r);

    /* and on a path outside the repository */
    ll_report_init(&r);
    struct ll_site out = {"/usr/include/x.h", 1, 1, NULL};
    assert_non_null(ll_report_add(&r, "double-lock", LL_SEV_WARNING, &out, NULL, NULL, "x"));
    ll_report_finish(&r);
    root = sarif_of(&r, rules, 2);
    assert_false(check_sarif(root, true));
    assert_non_null(strstr(problem, "not relative"));
    assert_true(check_sarif(root, false));
    json_decref(root);
    ll_report_release(&r);
}

/* A TU the run could not analyse is a toolExecutionNotification of an
 * unsuccessful invocation; without one there is no "invocations". */
static void test_tool_notifications(void **state)
{
    (void)state;
    struct ll_report r;
    ll_report_init(&r);
    json_t *root = sarif_of(&r, rules, 2);
    assert_null(json_object_get(json_array_get(json_object_get(root, "runs"), 0), "invocations"));
    json_decref(root);
    struct ll_tool_note note = {"/work/proj/src/deep.c",
                                "/work/proj/src/deep.c: the parser crashed; its functions are "
                                "not analysed",
                                false};
    root = sarif_of_notes(&r, rules, 2, &note, 1);
    json_t *inv = json_array_get(
        json_object_get(json_array_get(json_object_get(root, "runs"), 0), "invocations"), 0);
    assert_non_null(inv);
    assert_true(json_is_false(json_object_get(inv, "executionSuccessful")));
    json_t *n = json_array_get(json_object_get(inv, "toolExecutionNotifications"), 0);
    assert_string_equal(json_string_value(json_object_get(n, "level")), "error");
    assert_non_null(strstr(
        json_string_value(json_object_get(json_object_get(n, "message"), "text")), "crashed"));
    json_t *al = json_object_get(
        json_object_get(json_array_get(json_object_get(n, "locations"), 0), "physicalLocation"),
        "artifactLocation");
    assert_string_equal(json_string_value(json_object_get(al, "uri")), "src/deep.c");
    json_decref(root);
    ll_report_release(&r);
}

static void test_suppression_notes_have_rules(void **state)
{
    (void)state;
    /* The driver describes the suppression pseudo-rules next to the real
     * ones; a note then passes the check. */
    struct ll_rule_info all[2 + 2];
    memcpy(all, rules, sizeof(rules));
    for (size_t i = 0; i < ll_suppress_nrules; i++)
        all[2 + i] = ll_suppress_rules[i];
    struct ll_report r;
    ll_report_init(&r);
    struct ll_site s = {"src/a.c", 4, 1, NULL};
    assert_non_null(ll_report_add(&r, LL_RULE_UNUSED_SUPPRESSION, LL_SEV_NOTE, &s, NULL,
                                  "double-lock", "unused"));
    ll_report_finish(&r);
    json_t *root = sarif_of(&r, all, 2 + ll_suppress_nrules);
    if (!check_sarif(root, true)) {
        print_error("%s\n", problem);
        fail();
    }
    json_decref(root);
    ll_report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_committed_example),
        cmocka_unit_test(test_fresh_output),
        cmocka_unit_test(test_suppression_notes_have_rules),
        cmocka_unit_test(test_tool_notifications),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
