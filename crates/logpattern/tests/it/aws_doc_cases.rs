//! AWS's documented filter pattern examples, as a table of (pattern, message, what matching gives): None when the
//! message does not match, the extracted values (TestMetricFilter's `extractedValues`) when it does.
//!
//! Sources: the CloudWatch Logs user guide's "Filter pattern syntax for metric filters, subscription filters,
//! filter log events, and Live Tail" (its regex, unstructured, JSON and space-delimited sections), its older
//! "Filter and pattern syntax" page (OR matching, numeric comparisons, the `Ev*ent` and compound examples), the
//! TestMetricFilter API reference's examples (Apache access logs, `"[ERROR]"`), and results recorded from
//! TestMetricFilter runs against AWS where the documentation is silent (quoted numbers, wildcards on numbers).
//! Cases under "Skywatch's reading" are choices made where neither says; they pin the behaviour down.

use skywatch_logpattern::parse;

/// Extracted values: (key, value) pairs.
type Values = &'static [(&'static str, &'static str)];

/// A match, with these extracted values.
const fn found(values: Values) -> Option<Values> {
    Some(values)
}

const NONE: Option<Values> = None;
const EMPTY: Option<Values> = Some(&[]);

/// The JSON event of the JSON section (with the older page's `ThisFlag`).
const TRAIL: &str = r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "arrayKey": ["value", "another value"], "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], "SomeObject": null, "cluster.name": "c", "ThisFlag": true}"#;

/// The JSON object of the compound expressions section.
const USERS: &str = r#"{"user": {"id": 1, "email": "John.Stiles@example.com"}, "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}], "actions": ["GET", "PUT", "DELETE"], "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]}"#;

/// The event of the recorded TestMetricFilter runs.
const NUMBERS: &str = r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "someString": "111.111.111.111", "someInt": 123, "someFloat": 12.34, "someFloat2": 12.0, "someObject": {}, "someArray": []}"#;

/// The space-delimited event of the current user guide.
const PROD: &str = r#"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;

/// The Apache access log events of the TestMetricFilter API reference.
const APACHE_0: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534"#;
const APACHE_1: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324"#;
const HTML_404: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;
const HTML_200: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /about-us/index.html HTTP/1.0" 200 5324"#;
const GIF_404: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 404 4355"#;
const HTML_400: &str = r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /products/index.html HTTP/1.0" 400 1534"#;

/// The ordered-terms events of the current user guide.
const INFO_GET: &str = "INFO 09/25/2014 12:00:00 GET /service/resource/67 1200";
const INFO_POST: &str = "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310";

const ALL_NAMED: Values = &[
    ("$ip", "127.0.0.1"),
    ("$user", "Prod"),
    ("$username", "frank"),
    ("$timestamp", "10/Oct/2000:13:25:15 -0700"),
    ("$request", "GET /index.html HTTP/1.0"),
    ("$status_code", "404"),
    ("$bytes", "1534"),
];

#[rustfmt::skip]
const CASES: &[(&str, &str, Option<Values>)] = &[
    // ---- Regular expressions: "Using filter patterns to match terms with a regular expression".
    ("%AUTHORIZED%", "[ERROR 401] UNAUTHORIZED REQUEST", EMPTY),
    ("%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST", EMPTY),
    ("%AUTHORIZED%", "[ERROR 400] BAD REQUEST", NONE),
    (r"%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%", "connect from 10.0.12.7 refused", EMPTY),
    (r"%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%", "connect from localhost refused", NONE),
    ("%[Ee]rror|[Ff]ail%", "Failed to open", EMPTY),
    ("%[Ee]rror|[Ff]ail%", "ERROR: FAIL", NONE),
    ("%^starting|^initializing|^shutting down%", "initializing workers", EMPTY),
    ("%^starting|^initializing|^shutting down%", "skipping initializing workers", NONE),
    (r"%Task timed out after|^REPORT\s.+\sStatus: timeout%", "REPORT RequestId: 1 Status: timeout", EMPTY),

    // ---- Unstructured terms: "Using filter patterns to match terms in unstructured log events".
    ("ERROR", "[ERROR 400] BAD REQUEST", EMPTY),
    ("ERROR", "[ERROR 419] MISSING ARGUMENTS", EMPTY),
    ("ERROR ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", EMPTY),
    ("ERROR ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS", EMPTY),
    ("ERROR ARGUMENTS", "[ERROR 400] BAD REQUEST", NONE),
    ("ERROR ARGUMENTS", "[ERROR 401] UNAUTHORIZED REQUEST", NONE),
    ("?ERROR ?ARGUMENTS", "[ERROR 401] UNAUTHORIZED REQUEST", EMPTY),
    ("?ERROR ?ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS", EMPTY),
    ("?ERROR ?ARGUMENTS", "[INFO] REQUEST FAILED", NONE),
    // "If you combine "?" with other filter patterns, all question mark terms will be ignored."
    ("?ERROR ?ARGUMENTS REQUEST", "[INFO] REQUEST FAILED", EMPTY),
    ("?ERROR ?ARGUMENTS REQUEST", "[WARN] UNAUTHORIZED REQUEST", EMPTY),
    ("?ERROR ?ARGUMENTS REQUEST", "[ERROR] 400 BAD REQUEST", EMPTY),
    ("?ERROR ?ARGUMENTS REQUEST", "[ERROR 419] MISSING ARGUMENTS", NONE),
    ("?ERROR ?WARN -foo", "nothing to see", EMPTY),
    ("?ERROR ?WARN -foo", "ERROR foo", NONE),
    ("\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL SERVER ERROR", EMPTY),
    ("\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL ERROR", NONE),
    ("ERROR -ARGUMENTS", "[ERROR 400] BAD REQUEST", EMPTY),
    ("ERROR -ARGUMENTS", "[ERROR 401] UNAUTHORIZED REQUEST", EMPTY),
    ("ERROR -ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", NONE),
    ("ERROR -ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS", NONE),
    ("\" \"", "anything at all", EMPTY),
    ("\" \"", "x", EMPTY),
    ("", "any event", EMPTY),
    ("   ", "any event", EMPTY),
    // The older page: terms are substrings, case-sensitive.
    ("ERROR", "[ERROR] A fatal exception has occurred", EMPTY),
    ("ERROR", "Exiting with ERRORCODE: -1", EMPTY),
    ("ERROR -Exiting", "Exiting with ERRORCODE: -1", NONE),
    ("ERROR Exception", "[ERROR] Caught IllegalArgumentException", EMPTY),
    ("ERROR Exception", "[ERROR] Unhandled Exception", EMPTY),
    ("Failed to process the request", "[WARN] Failed to process the request", EMPTY),
    ("Failed to process the request", "[ERROR] Unable to continue: Failed to process the request", EMPTY),
    ("Failed to process the request", "[ERROR] the request failed", NONE),
    ("ERROR", "ERROR WARN message", EMPTY),
    ("ERROR", "WARN message", NONE),
    ("?ERROR ?WARN", "WARN message", EMPTY),
    ("?ERROR ?WARN", "INFO message", NONE),
    ("ERROR WARN", "ERROR WARN message", EMPTY),
    ("ERROR WARN", "ERROR message", NONE),
    ("ERROR -WARN", "ERROR message", EMPTY),
    ("ERROR -WARN", "ERROR WARN message", NONE),
    ("ERROR", "Error: entity not found!", NONE),
    ("ERROR", "NotFoundError", NONE),
    ("ERROR", "ERRORNEOUS PROGRAM", EMPTY),
    ("\"ERROR][grpc\"", "2025-03-28 [ERROR][grpc] failed", EMPTY),
    ("\"ERROR][grpc\"", "[ERROR] [grpc]", NONE),
    ("?\"clean up\" ?xyz", "map clean up", EMPTY),
    ("?\"clean up\" ?xyz", "map is cleaned up", NONE),
    ("-DEBUG", "INFO started", EMPTY),
    ("-DEBUG", "DEBUG details", NONE),
    ("-\"[DEBUG]\"", "[DEBUG] details", NONE),
    // The TestMetricFilter API reference.
    ("\"[ERROR]\"", "02 May 2014 00:34:16,142 [ERROR] Unhanded exception: InvalidQueryException", EMPTY),
    ("\"[ERROR]\"", "02 May 2014 00:34:12,525 [INFO] Starting the application", NONE),
    ("\"[ERROR]\" Exception", "02 May 2014 00:34:16,142 [ERROR] Unhanded exception: InvalidQueryException", EMPTY),
    ("\"[ERROR]\" Exception", "02 May 2014 00:34:16,224 [ERROR] Terminating the application", NONE),

    // ---- JSON: "Using filter patterns to match terms in JSON log events".
    ("{ $.eventType = \"UpdateTrail\" }", TRAIL, found(&[("$.eventType", "UpdateTrail")])),
    ("{ $.eventType = UpdateTrail }", TRAIL, found(&[("$.eventType", "UpdateTrail")])),
    ("{ $.eventType = \"Update\" }", TRAIL, NONE),
    ("{ $.sourceIPAddress != 123.123.* }", TRAIL, found(&[("$.sourceIPAddress", "111.111.111.111")])),
    ("{ $.sourceIPAddress = 111.111.* }", TRAIL, found(&[("$.sourceIPAddress", "111.111.111.111")])),
    ("{ $.arrayKey[0] = \"value\" }", TRAIL, found(&[("$.arrayKey[0]", "value")])),
    ("{ $.arrayKey[1] = \"value\" }", TRAIL, NONE),
    ("{ $.objectList[1].id = 2 }", TRAIL, found(&[("$.objectList[1].id", "2")])),
    ("{ $.eventType = %Trail% }", TRAIL, found(&[("$.eventType", "UpdateTrail")])),
    ("{ $.eventType != %Trail% }", TRAIL, NONE),
    ("{ $.arrayKey[*] = %val.{2}% }", TRAIL, EMPTY),
    (r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }", TRAIL, EMPTY),
    ("{ $.['cluster.name'] = \"c\" }", TRAIL, found(&[("$.['cluster.name']", "c")])),
    ("{ $.SomeObject IS NULL }", TRAIL, EMPTY),
    ("{ $.SomeOtherObject NOT EXISTS }", TRAIL, EMPTY),
    ("{ $.SomeObject NOT EXISTS }", TRAIL, NONE),
    ("{ $.ThisFlag IS TRUE }", TRAIL, found(&[("$.ThisFlag", "true")])),
    ("{ $.ThisFlag IS FALSE }", TRAIL, NONE),
    // "If a property selector points to an array or object, the filter pattern won't match."
    ("{ $.arrayKey = \"value\" }", TRAIL, NONE),
    ("{ $.objectList != \"x\" }", TRAIL, NONE),
    ("{ $.users = 1 }", r#"{"users": [1, 2, 3]}"#, NONE),
    ("{ $.users != 1 }", r#"{"users": [1, 2, 3]}"#, NONE),
    // Recorded against AWS: selectors past the data match nothing.
    ("{ $.ThisFlag[0] = \"value\" }", TRAIL, NONE),
    ("{ $.objectList[1].number = 2 }", TRAIL, NONE),
    // Dimensions from JSON: the filter of "Publishing dimensions with metrics from JSON log events".
    (
        "{ $.eventType = \"*\" && $.sourceIPAddress != 123.123.* }",
        TRAIL,
        found(&[("$.eventType", "UpdateTrail"), ("$.sourceIPAddress", "111.111.111.111")]),
    ),
    // OR in JSON (the older page).
    ("{$.foo = bar}", r#"{"foo": "bar"}"#, found(&[("$.foo", "bar")])),
    ("{$.foo = bar}", r#"{"foo": "baz"}"#, NONE),
    ("{$.foo = bar || $.foo = baz }", r#"{"foo": "baz"}"#, found(&[("$.foo", "baz")])),
    // Compound expressions.
    (
        "{ ($.user.id = 1) && ($.users[0].email = \"John.Doe@example.com\") }",
        USERS,
        found(&[("$.user.id", "1"), ("$.users[0].email", "John.Doe@example.com")]),
    ),
    (
        "{ $.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = \"nonmatch\" && $.actions[2] = \"nonmatch\" }",
        USERS,
        found(&[("$.user.email", "John.Stiles@example.com"), ("$.coordinates[0][1]", "1"), ("$.actions[2]", "DELETE")]),
    ),
    (
        "{ $.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }",
        USERS,
        found(&[("$.user.email", "John.Stiles@example.com"), ("$.coordinates[0][1]", "1"), ("$.actions[2]", "DELETE")]),
    ),
    (
        "{ ($.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = \"nonmatch\") && $.actions[2] = \"nonmatch\" }",
        USERS,
        NONE,
    ),
    ("{ ($.user.id = 2 && $.users[0].email = \"nonmatch\") || $.actions[2] = \"GET\" }", USERS, NONE),
    ("{ $.coordinates[2][0] >= 7 && $.actions[*] = PUT }", USERS, found(&[("$.coordinates[2][0]", "7")])),
    // Numeric comparisons (both pages).
    ("{ $.latency >= 500 }", r#"{"latency": 500}"#, found(&[("$.latency", "500")])),
    ("{ $.latency >= 500 }", r#"{"latency": 499.9}"#, NONE),
    ("{ $.numbers[0] < 10e3 }", r#"{"numbers": [9999]}"#, found(&[("$.numbers[0]", "9999")])),
    ("{ $.numbers[0] < 10e-3 }", r#"{"numbers": [0.001]}"#, found(&[("$.numbers[0]", "0.001")])),
    ("{ $.numbers[0] < 10e-3 }", r#"{"numbers": [0.5]}"#, NONE),
    ("{ $.processes[4].averageRuntime <= 55.5 }", r#"{"processes": [0, 1, 2, 3, {"averageRuntime": 55.5}]}"#, found(&[("$.processes[4].averageRuntime", "55.5")])),
    ("{ $.errorCode = 400 }", r#"{"errorCode": 400}"#, found(&[("$.errorCode", "400")])),
    ("{ $.errorCode != 500 }", r#"{"errorCode": 400}"#, found(&[("$.errorCode", "400")])),
    ("{ $.errorCode != 500 }", r#"{"errorCode": 500}"#, NONE),
    ("{ $.latency > +1000 }", r#"{"latency": 1001}"#, found(&[("$.latency", "1001")])),
    ("{ $.bandwidth > 75 }", r#"{"bandwidth": 75}"#, NONE),
    ("{ $.refreshRate >= 60 }", r#"{"refreshRate": 60}"#, found(&[("$.refreshRate", "60")])),
    ("{ $.responseTime <= 5 }", r#"{"responseTime": 6}"#, NONE),
    ("{ $.number[0] = 1e+3 }", r#"{"number": [1000]}"#, found(&[("$.number[0]", "1000")])),
    ("{ $.number[0] != 1e-3 }", r#"{"number": [1000]}"#, found(&[("$.number[0]", "1000")])),
    ("{ $.latency = * }", r#"{"latency": 50, "requestType": "GET"}"#, found(&[("$.latency", "50")])),
    ("{ $.latency = * }", r#"{"requestType": "GET"}"#, NONE),
    ("{ $.code >= 500 || $.latency > 1.5 }", r#"{"code": 200, "latency": 2.25}"#, found(&[("$.code", "200"), ("$.latency", "2.25")])),
    ("{ $.code >= 500 || $.latency > 1.5 }", r#"{"code": 200, "latency": 1.5}"#, NONE),
    // A message that is not a JSON object never matches a JSON pattern.
    ("{ $.level = \"ERROR\" }", "level = ERROR", NONE),
    ("{ $.level = \"ERROR\" }", r#"[{"level": "ERROR"}]"#, NONE),
    ("{ $.level = \"ERROR\" }", r#"{"level": "ERROR"} and more"#, NONE),
    ("{ $.level = \"ERROR\" }", r#"  {"level": "ERROR"}  "#, found(&[("$.level", "ERROR")])),
    ("{ $.SomeOtherObject NOT EXISTS }", "plain text", NONE),
    // Recorded TestMetricFilter results: unquoted numbers compare as numbers, quoted ones and wildcards as text.
    ("{ $.someInt = 123.0 }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someFloat2 = 12 }", NUMBERS, found(&[("$.someFloat2", "12.0")])),
    ("{ $.someInt = \"123\" }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someInt != \"123.0\" }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someFloat2 != \"12\" }", NUMBERS, found(&[("$.someFloat2", "12.0")])),
    ("{ $.someInt != 123 }", NUMBERS, NONE),
    ("{ $.someInt = * }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someInt = 1* }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someInt = *23 }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someInt != 32* }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someInt != *321 }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someFloat = 12.* }", NUMBERS, found(&[("$.someFloat", "12.34")])),
    ("{ $.someFloat = *.34 }", NUMBERS, found(&[("$.someFloat", "12.34")])),
    ("{ $.someFloat = \"*4\" }", NUMBERS, found(&[("$.someFloat", "12.34")])),
    ("{ $.someFloat != 43.21 }", NUMBERS, found(&[("$.someFloat", "12.34")])),
    ("{ $.someString = \"111*\" }", NUMBERS, found(&[("$.someString", "111.111.111.111")])),
    ("{ $.someString = *.111.111.111 }", NUMBERS, found(&[("$.someString", "111.111.111.111")])),
    // ... and AWS's greedy wildcards: these differ from a textbook wildcard match.
    ("{ $.someString = *111.111.111 }", NUMBERS, NONE),
    ("{ $.someString != 111*111 }", NUMBERS, found(&[("$.someString", "111.111.111.111")])),
    ("{ $.someInt != 1*3 }", NUMBERS, NONE),
    ("{ $.someFloat != \"1*4\" }", NUMBERS, NONE),
    ("{ $.sourceIPAddress = 11*1 }", NUMBERS, NONE),
    ("{ $.notExisted != \"UpdateTrail\" }", NUMBERS, NONE),
    ("{ $.someObject = \"someString\" }", NUMBERS, NONE),
    ("{ $.someArray != \"someString\" }", NUMBERS, NONE),
    ("{ $.someInt != 111 }", NUMBERS, found(&[("$.someInt", "123")])),
    ("{ $.someFloat      <=     100.0 }", NUMBERS, found(&[("$.someFloat", "12.34")])),

    // ---- Space-delimited: "Using filter patterns to match terms in space-delimited log events".
    ("[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", PROD, found(ALL_NAMED)),
    (r"[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", PROD, found(ALL_NAMED)),
    (r"[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request, status_code, bytes]", "127.0.0.0 a b c d e f", NONE),
    (
        "[..., request =*.html*, status_code = 4*, bytes]",
        PROD,
        found(&[("$1", "127.0.0.1"), ("$2", "Prod"), ("$3", "frank"), ("$4", "10/Oct/2000:13:25:15 -0700"),
                ("$request", "GET /index.html HTTP/1.0"), ("$status_code", "404"), ("$bytes", "1534")]),
    ),
    ("[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]", PROD, found(ALL_NAMED)),
    ("[ip, user, username, timestamp, request, status_code = 403 || status_code = 410, bytes]", PROD, NONE),
    (
        "[ip, server, username, timestamp, request, status_code, bytes > 1000]",
        PROD,
        found(&[("$ip", "127.0.0.1"), ("$server", "Prod"), ("$username", "frank"),
                ("$timestamp", "10/Oct/2000:13:25:15 -0700"), ("$request", "GET /index.html HTTP/1.0"),
                ("$status_code", "404"), ("$bytes", "1534")]),
    ),
    ("[ip, user, username, timestamp, request, status_code, bytes > 2000]", PROD, NONE),
    ("[ip, user, username, timestamp, request, status_code = 200, bytes]", PROD, NONE),
    ("[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]", PROD, found(ALL_NAMED)),
    ("[ip, user, username, timestamp, request, status_code, bytes]", "127.0.0.1 Prod frank", NONE),
    ("[ip, user, username, timestamp, request, status_code, bytes]", "a b c d e f g h", NONE),
    ("[ip, user, ...]", PROD, found(&[("$ip", "127.0.0.1"), ("$user", "Prod"), ("$3", "frank"),
        ("$4", "10/Oct/2000:13:25:15 -0700"), ("$5", "GET /index.html HTTP/1.0"), ("$6", "404"), ("$7", "1534")])),
    ("[ip, user, ..., status_code, bytes]", "10.0.0.1 - 404 12", found(&[("$ip", "10.0.0.1"), ("$user", "-"), ("$status_code", "404"), ("$bytes", "12")])),
    ("[ip, user, ..., status_code, bytes]", "10.0.0.1 - 404", NONE),
    ("[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]", INFO_GET, found(&[
        ("$logLevel", "INFO"), ("$date", "09/25/2014"), ("$time", "12:00:00"), ("$method", "GET"),
        ("$url", "/service/resource/67"), ("$response_time", "1200")])),
    ("[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]", INFO_POST, NONE),
    ("[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]", INFO_POST, found(&[
        ("$logLevel", "INFO"), ("$date", "09/25/2014"), ("$time", "12:00:01"), ("$method", "POST"),
        ("$url", "/service/resource/67/part/111"), ("$response_time", "1310")])),
    // Words in order (the older page's three events).
    ("[w1=ERROR, w2]", "ERROR message", found(&[("$w1", "ERROR"), ("$w2", "message")])),
    ("[w1=ERROR, w2]", "ERROR WARN message", NONE),
    ("[w1=ERROR, w2]", "WARN message", NONE),
    ("[w1=ERROR || w1=WARN, w2]", "WARN message", found(&[("$w1", "WARN"), ("$w2", "message")])),
    ("[w1=ERROR || w1=WARNING, w2]", "WARNING request", found(&[("$w1", "WARNING"), ("$w2", "request")])),
    ("[w1!=ERROR && w1!=WARN, w2]", "ERROR message", NONE),
    ("[w1!=ERROR && w1!=WARN, w2]", "INFO message", found(&[("$w1", "INFO"), ("$w2", "message")])),
    // The TestMetricFilter API reference's Apache examples, with AWS's extracted values.
    (
        "[ip, identity, user_id, timestamp, request, status_code, size]",
        APACHE_0,
        found(&[("$ip", "127.0.0.1"), ("$identity", "-"), ("$user_id", "frank"),
                ("$timestamp", "10/Oct/2000:13:25:15 -0700"), ("$request", "GET /apache_pb.gif HTTP/1.0"),
                ("$status_code", "200"), ("$size", "1534")]),
    ),
    (
        "[..., size]",
        APACHE_1,
        found(&[("$size", "5324"), ("$6", "500"), ("$4", "10/Oct/2000:13:35:22 -0700"),
                ("$5", "GET /apache_pb.gif HTTP/1.0"), ("$2", "-"), ("$3", "frank"), ("$1", "127.0.0.1")]),
    ),
    (
        "[]",
        APACHE_0,
        found(&[("$7", "1534"), ("$6", "200"), ("$4", "10/Oct/2000:13:25:15 -0700"),
                ("$5", "GET /apache_pb.gif HTTP/1.0"), ("$2", "-"), ("$3", "frank"), ("$1", "127.0.0.1")]),
    ),
    (
        "[..., status_code=200, size]",
        APACHE_0,
        found(&[("$status_code", "200"), ("$size", "1534"), ("$4", "10/Oct/2000:13:25:15 -0700"),
                ("$5", "GET /apache_pb.gif HTTP/1.0"), ("$2", "-"), ("$3", "frank"), ("$1", "127.0.0.1")]),
    ),
    ("[..., status_code=200, size]", APACHE_1, NONE),
    (
        "[..., request=*.html*, status_code=4*,]",
        HTML_404,
        found(&[("$status_code", "404"), ("$request", "GET /index.html HTTP/1.0"), ("$7", "1534"),
                ("$4", "10/Oct/2000:13:25:15 -0700"), ("$2", "-"), ("$3", "frank"), ("$1", "127.0.0.1")]),
    ),
    ("[..., request=*.html*, status_code=4*,]", HTML_200, NONE),
    ("[..., request=*.html*, status_code=4*,]", GIF_404, NONE),
    (
        "[..., request=*.html*, status_code=4*,]",
        HTML_400,
        found(&[("$status_code", "400"), ("$request", "GET /products/index.html HTTP/1.0"), ("$7", "1534"),
                ("$4", "10/Oct/2000:13:25:15 -0700"), ("$2", "-"), ("$3", "frank"), ("$1", "127.0.0.1")]),
    ),
    // A CloudFormation user's metric filter (quoted values with wildcards), over a matching line.
    (
        "[date, time, tag=\"rh-sched*\", x01=throttling, x02=\"jobs.\", ..., x10=Len, x11=of, x12=job, x13=\"queue*\", length]",
        "2020-05-11 10:00:00 rh-sched-2 throttling jobs. while the Len of job queue: 17",
        found(&[("$date", "2020-05-11"), ("$time", "10:00:00"), ("$tag", "rh-sched-2"), ("$x01", "throttling"),
                ("$x02", "jobs."), ("$6", "while"), ("$7", "the"), ("$x10", "Len"), ("$x11", "of"), ("$x12", "job"),
                ("$x13", "queue:"), ("$length", "17")]),
    ),
    // Tab-separated events (CloudFront access logs) split the same way.
    ("[date, time, edge, bytes, ip, method, host, uri, status=4*, referer]",
     "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t404\t-",
     found(&[("$date", "2019-12-04"), ("$time", "21:02:31"), ("$edge", "LAX1"), ("$bytes", "392"),
             ("$ip", "192.0.2.100"), ("$method", "GET"), ("$host", "d111111abcdef8.cloudfront.net"),
             ("$uri", "/index.html"), ("$status", "404"), ("$referer", "-")])),

    // ---- Skywatch's reading where AWS is silent.
    // Numbers against text: text in the number grammar is a number; other text is unequal to any number.
    ("[a, b > 9]", "x 10", found(&[("$a", "x"), ("$b", "10")])),
    ("[a, b > 9]", "x 9.5e1", found(&[("$a", "x"), ("$b", "9.5e1")])),
    ("[a, b > 9]", "x ten", NONE),
    ("[a, b != 5]", "x ten", found(&[("$a", "x"), ("$b", "ten")])),
    ("[a, b = 5]", "x 5.0", found(&[("$a", "x"), ("$b", "5.0")])),
    ("[a, b = \"5\"]", "x 5.0", NONE),
    ("[a, b < -1]", "x -2", found(&[("$a", "x"), ("$b", "-2")])),
    ("{ $.v > 9 }", r#"{"v": "10"}"#, found(&[("$.v", "10")])),
    ("{ $.v > 9 }", r#"{"v": "nine"}"#, NONE),
    ("{ $.t < -5 }", r#"{"t": -10}"#, found(&[("$.t", "-10")])),
    // Regular expressions search (`%Trail%` matches UpdateTrail), so an unanchored one matches inside a longer value.
    (r"[ip=%127\.0\.0\.[1-9]%, rest]", "127.0.0.10 x", found(&[("$ip", "127.0.0.10"), ("$rest", "x")])),
    (r"[ip=%^127\.0\.0\.[1-9]$%, rest]", "127.0.0.10 x", NONE),
    // Booleans and null satisfy IS tests only.
    ("{ $.flag = true }", r#"{"flag": true}"#, NONE),
    ("{ $.flag IS FALSE }", r#"{"flag": false}"#, found(&[("$.flag", "false")])),
    ("{ $.flag IS FALSE }", r#"{"flag": "false"}"#, NONE),
    ("{ $.gone IS NULL }", r#"{"other": null}"#, NONE),
    ("{ $.x is null && $.y not exists }", r#"{"x": null}"#, EMPTY),
    // Quoted and bracketed message fields, and a quoted value with a space.
    ("[a, b = \"x y\", c]", r#"1 "x y" [z w]"#, found(&[("$a", "1"), ("$b", "x y"), ("$c", "z w")])),
    ("[a, , c]", "1 2 3", found(&[("$a", "1"), ("$2", "2"), ("$c", "3")])),
    // Nested and parenthesised field conditions.
    ("[a, b = 1 || (b > 5 && b < 10)]", "x 7", found(&[("$a", "x"), ("$b", "7")])),
    ("[a, b = 1 || (b > 5 && b < 10)]", "x 3", NONE),
];

#[test]
fn documented_cases() {
    let mut failures = Vec::new();
    for (pattern_text, message, expected) in CASES {
        let pattern = match parse(pattern_text) {
            Ok(pattern) => pattern,
            Err(error) => {
                failures.push(format!("{pattern_text:?} was refused: {error:?}"));
                continue;
            }
        };
        let got = pattern.evaluate(message).map(|extracted| extracted.values());
        let want = expected.map(|values| {
            values.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<std::collections::BTreeMap<_, _>>()
        });
        if got != want {
            failures.push(format!("{pattern_text:?} on {message:?}: got {got:?}, want {want:?}"));
        }
        if pattern.matches(message) != expected.is_some() {
            failures.push(format!("{pattern_text:?} on {message:?}: matches() disagrees with evaluate()"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn there_are_enough_cases() {
    assert!(CASES.len() >= 80, "{}", CASES.len());
}
