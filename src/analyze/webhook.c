/* Webhook notifications: one JSON POST through libcurl.
 *
 * Only http:// and https:// are accepted, checked here before libcurl sees
 * the URL and again by libcurl's protocol list, because libcurl would
 * otherwise happily speak ftp, file or smtp to a URL from a CI variable.
 * Redirects are not followed: a webhook that moved is a configuration to
 * fix, and following one would resend the findings to a host the user
 * never named. timeout_ms bounds the whole request, connection included,
 * so a dead receiver cannot hang a CI job. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "ipfs_accelerate/analyze.h"
#include "ipfs_accelerate/core.h"

/* How much of a refusing receiver's answer goes into the error message. */
#define REPLY_EXCERPT 200

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

/* curl_global_init is not thread-safe and must run once per process. */
static void init_curl(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct reply {
    char text[REPLY_EXCERPT + 1];
    size_t len;
} reply;

/* Keeps the start of the answer for the error message and drops the rest;
 * the receiver's body means nothing to us when it said 2xx. */
static size_t keep_reply(char *data, size_t size, size_t count, void *user)
{
    reply *r = user;
    size_t n = size * count;
    size_t room = REPLY_EXCERPT - r->len;
    size_t take = n < room ? n : room;
    memcpy(r->text + r->len, data, take);
    r->len += take;
    r->text[r->len] = 0;
    return n;
}

static bool has_web_scheme(const char *url)
{
    return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

/* How messages name the URL: scheme and host only. Webhook URLs carry their
 * secret in the path or query (Slack's /services/T../B../token), and error
 * messages end up in CI logs. */
static void redact(const char *url, char *out, size_t cap)
{
    const char *sep = strstr(url, "://");
    size_t scheme_len = sep ? (size_t)(sep + 3 - url) : 0;
    const char *host = url + scheme_len;
    const char *end = host + strcspn(host, "/?#");
    const char *at = memchr(host, '@', (size_t)(end - host));
    if (at)
        host = at + 1; /* user:password@ is a secret too */
    snprintf(out, cap, "%.*s%.*s%s", (int)scheme_len, url, (int)(end - host), host,
             *end ? "/..." : "");
}

/* The reply as one printable line, for the end of an error message. */
static void flatten(reply *r)
{
    for (size_t i = 0; i < r->len; i++)
        if (r->text[i] == '\n' || r->text[i] == '\r' || r->text[i] == '\t')
            r->text[i] = ' ';
    while (r->len && r->text[r->len - 1] == ' ')
        r->text[--r->len] = 0;
}

ia_status ia_webhook_post(const char *url, const char *body, long timeout_ms, ia_error *err)
{
    if (!url || !*url)
        return ia_error_set(err, IA_ERR_INVALID, "webhook: no URL given");
    char shown[256];
    redact(url, shown, sizeof shown);
    if (!has_web_scheme(url))
        return ia_error_set(err, IA_ERR_INVALID,
                            "webhook %s: only http:// and https:// URLs are supported", shown);
    if (!body)
        body = "";
    pthread_once(&curl_once, init_curl);
    if (curl_init_result != CURLE_OK)
        return ia_error_set(err, IA_ERR_INTERNAL, "webhook %s: libcurl failed to start: %s", shown,
                            curl_easy_strerror(curl_init_result));
    CURL *curl = curl_easy_init();
    if (!curl)
        return ia_error_set(err, IA_ERR_NOMEM, "webhook %s: libcurl could not create a handle",
                            shown);

    char user_agent[96];
    snprintf(user_agent, sizeof user_agent, "ipfs-accelerate/%s", ia_build_info_get()->version);
    /* "Expect:" turns off libcurl's 100-continue wait on larger bodies,
     * which many small webhook receivers never answer. */
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *more = headers ? curl_slist_append(headers, "Expect:") : NULL;
    if (!more) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        return ia_error_set(err, IA_ERR_NOMEM, "webhook %s: out of memory", shown);
    }
    headers = more;

    char curl_message[CURL_ERROR_SIZE] = "";
    reply answer = {.len = 0};
    curl_easy_setopt(curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent);
    if (timeout_ms > 0)
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    /* Timeouts by signal would disturb the caller's threads and handlers. */
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_message);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_reply);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);

    ia_status rc = IA_OK;
    CURLcode sent = curl_easy_perform(curl);
    if (sent != CURLE_OK) {
        rc = ia_error_set(err, IA_ERR_IO, "webhook %s: %s", shown,
                          curl_message[0] ? curl_message : curl_easy_strerror(sent));
    } else {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status > 299) {
            flatten(&answer);
            rc = ia_error_set(err, IA_ERR_IO, "webhook %s: the receiver answered HTTP %ld%s%s",
                              shown, status, answer.len ? ": " : "", answer.text);
        }
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}
