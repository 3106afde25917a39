// tests for src/live/page.cpp: rewriting API list pages for a snapshot, with masks.
#include "live/page.h"

#include "load/list_split.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

// Items without kubectl's layout (see ItemsAreLaidOutAsKubectlPrintsThem), for short expectations.
std::string compact(std::string s) {
  for (auto [from, to] :
       {std::pair<std::string_view, std::string_view>{"        {\n", "{"}, {"\n        }", "}"}}) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at))
      s.replace(at, from.size(), to);
  }
  return s;
}

std::string rewrite(std::string_view body, PageKind kind, PageInfo* info_out = nullptr,
                    std::string_view item_kind = "", std::string_view api_version = "") {
  std::string out;
  PageInfo info;
  std::string err = append_page(body, kind, item_kind, api_version, out, info);
  EXPECT_EQ(err, "");
  if (info_out != nullptr) *info_out = info;
  return compact(out);
}

TEST(LivePage, ItemsOnePerLineWithContinueToken) {
  PageInfo info;
  std::string raw;
  ASSERT_EQ(
      append_page(
          R"({"kind":"PodList","metadata":{"continue":"abc=="},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})",
          PageKind::kGeneric, "", "", raw, info),
      "");
  std::string out = compact(raw);
  EXPECT_EQ(out, "{\"metadata\":{\"name\":\"a\"}},\n{\"metadata\":{\"name\":\"b\"}}");
  EXPECT_EQ(info.items, 2u);
  EXPECT_EQ(info.continue_token, "abc==");
  // A second page continues the same output with a separator.
  std::string more = raw;
  PageInfo next;
  EXPECT_EQ(
      append_page(R"({"items":[{"x":1}],"metadata":{}})", PageKind::kGeneric, "", "", more, next),
      "");
  EXPECT_EQ(compact(more), out + ",\n{\"x\":1}");
  EXPECT_EQ(next.continue_token, "");
}

TEST(LivePage, ItemsGetTheListsKindAndApiVersionAsKubectlPrintsThem) {
  std::string out = rewrite(
      R"({"kind":"DeploymentList","items":[{"metadata":{"name":"a"}},{"kind":"Deployment","apiVersion":"apps/v1beta9"},{}]})",
      PageKind::kGeneric, nullptr, "Deployment", "apps/v1");
  EXPECT_EQ(out,
            "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"a\"}},\n"
            "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1beta9\"},\n"
            "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\"}");
}

TEST(LivePage, ItemsAreLaidOutAsKubectlPrintsThemSoTheLoaderSplitsThem) {
  std::string list = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
  PageInfo info;
  for (int page = 0; page < 2; ++page) {
    ASSERT_EQ(
        append_page(
            R"({"items":[{"metadata":{"name":"a"},"spec":{"x":{"y":[1,{}]}}},{"metadata":{"name":"b"}}]})",
            PageKind::kGeneric, "Pod", "v1", list, info),
        "");
  }
  list += "\n    ],\n    \"kind\": \"PodList\",\n    \"metadata\": {}\n}\n";
  auto split = split_kubectl_list(list, 0);
  ASSERT_TRUE(split) << list;
  EXPECT_EQ(split->kind, "PodList");
  ASSERT_EQ(split->items.size(), 4u);
  EXPECT_EQ(split->items[1].line, 7u);  // "{", apiVersion, items, then 3 lines an item
  EXPECT_EQ(list.substr(split->items[1].offset, split->items[1].length),
            "{\n\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"b\"}\n        }");
}

TEST(LivePage, ScalarsRoundTrip) {
  std::string out = rewrite(
      R"({"items":[{"i":-3,"u":18446744073709551615,"d":0.25,"b":true,"n":null,"s":"caf\u00e9 \"q\"\n"}]})",
      PageKind::kGeneric);
  EXPECT_EQ(out,
            "{\"i\":-3,\"u\":18446744073709551615,\"d\":0.25,\"b\":true,\"n\":null,\"s\":\"café "
            "\\\"q\\\"\\n\"}");
}

TEST(LivePage, MasksEnvValuesByNameAndByContent) {
  std::string out = rewrite(
      R"({"items":[{"spec":{"containers":[{"name":"app","env":[
        {"name":"DB_PASSWORD","value":"hunter2"},
        {"name":"DSN","value":"postgres://app:s3cr3tpw@db:5432/x"},
        {"name":"LOG_LEVEL","value":"debug"},
        {"name":"API_TOKEN","valueFrom":{"secretKeyRef":{"name":"s","key":"token"}}}]}]}}]})",
      PageKind::kGeneric);
  EXPECT_EQ(out.find("hunter2"), std::string::npos) << out;
  EXPECT_EQ(out.find("s3cr3tpw"), std::string::npos) << out;
  EXPECT_NE(out.find("\"debug\""), std::string::npos) << out;
  EXPECT_NE(out.find("postgres://app:***@db"), std::string::npos) << out;
  EXPECT_NE(out.find("secretKeyRef"), std::string::npos) << out;
}

TEST(LivePage, MasksArgsAnnotationsAndLastApplied) {
  std::string out = rewrite(
      R"({"items":[{"metadata":{"name":"w","annotations":{
        "example.com/api-token":"tok-123456",
        "note":"Authorization: Bearer abcdefghijkl",
        "kubectl.kubernetes.io/last-applied-configuration":"{\"kind\":\"Deployment\",\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"env\":[{\"name\":\"ADMIN_PASSWORD\",\"value\":\"pl4nted\"}]}]}}}}\n"},
        "managedFields":[{"manager":"kubectl"}]},
        "spec":{"containers":[{"name":"c","args":["--db-password=zz9plural","--port=80"],"command":["run","--token","flagvalue9","--verbose"]}]}}]})",
      PageKind::kGeneric);
  EXPECT_EQ(out.find("tok-123456"), std::string::npos) << out;
  EXPECT_EQ(out.find("abcdefghijkl"), std::string::npos) << out;
  EXPECT_EQ(out.find("pl4nted"), std::string::npos) << out;
  EXPECT_EQ(out.find("zz9plural"), std::string::npos) << out;
  EXPECT_EQ(out.find("managedFields"), std::string::npos) << out;
  EXPECT_EQ(out.find("flagvalue9"), std::string::npos) << out;
  EXPECT_NE(out.find("--verbose"), std::string::npos) << out;
  EXPECT_NE(out.find("--port=80"), std::string::npos) << out;
  EXPECT_NE(out.find("ADMIN_PASSWORD"), std::string::npos) << out;  // names stay
}

TEST(LivePage, MasksTemplatesTerminationMessagesBinaryDataAndEverySpelling) {
  std::string out = rewrite(
      R"({"items":[{"metadata":{"name":"d","annotations":{"api-key":"PLANT1"}},
        "spec":{"template":{"metadata":{"annotations":{"vault-token":"PLANT2","ok":"--access-key=PLANT3"}},
          "spec":{"containers":[{"name":"c","args":["--private-key=PLANT4","--pass=PLANT5","--api.key=PLANT6"],
            "env":[{"name":"MYSQL_ROOT_PASS","value":"PLANT7"},{"name":"MODE","value":"password=CORRECTHORSE"}]}]}}},
        "status":{"containerStatuses":[{"lastState":{"terminated":{"message":"postgres://admin:PLANT8@db password=$PLANT9"}}}]},
        "binaryData":{"blob":"UExBTlQxMA=="}}]})",
      PageKind::kGeneric);
  for (const char* planted : {"PLANT1", "PLANT2", "PLANT3", "PLANT4", "PLANT5", "PLANT6", "PLANT7",
                              "PLANT8", "PLANT9", "CORRECTHORSE", "UExBTlQxMA"}) {
    EXPECT_EQ(out.find(planted), std::string::npos) << planted << " in " << out;
  }
  EXPECT_NE(out.find("\"blob\":\"\""), std::string::npos) << out;  // the key stays
  EXPECT_NE(out.find("\"ok\":\"--access-key=***\""), std::string::npos) << out;
}

TEST(LivePage, SecretMetadataBecomesMarkedSecretWithoutValues) {
  std::string out = rewrite(
      R"({"kind":"PartialObjectMetadataList","items":[
        {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"s1","namespace":"shop"}},
        {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s2","annotations":{"a":"b"}},"data":{"password":"aHVudGVyMg=="}}]})",
      PageKind::kSecretMeta, nullptr, "Secret", "v1");
  EXPECT_EQ(out.find("PartialObjectMetadata"), std::string::npos) << out;
  EXPECT_EQ(out.find("meta.k8s.io"), std::string::npos) << out;
  EXPECT_TRUE(out.starts_with("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\"")) << out;
  EXPECT_EQ(out.find("aHVudGVyMg"), std::string::npos) << out;
  EXPECT_NE(out.find("\"password\":\"\""), std::string::npos) << out;  // key names stay
  EXPECT_NE(out.find("{\"name\":\"s1\",\"namespace\":\"shop\",\"annotations\":{\"ktriage.io/"
                     "data\":\"not-collected\"}}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"a\":\"b\",\"ktriage.io/data\":\"not-collected\""), std::string::npos)
      << out;
}

TEST(LivePage, SecretTableRowsKeepTheTypeAndNeverData) {
  PageInfo info;
  std::string out = rewrite(
      R"({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"continue":"c1"},
        "columnDefinitions":[{"name":"Name"},{"name":"Type"},{"name":"Data"},{"name":"Age"}],
        "rows":[{"cells":["pull","kubernetes.io/dockerconfigjson",1,"5d"],
                 "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
                           "metadata":{"name":"pull","namespace":"shop"}}}]})",
      PageKind::kSecretMeta, &info, "Secret", "v1");
  EXPECT_EQ(
      out,
      "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"pull\",\"namespace\":"
      "\"shop\",\"annotations\":{\"ktriage.io/data\":\"not-collected\"}},\"type\":\"kubernetes.io/"
      "dockerconfigjson\"}");
  EXPECT_EQ(info.items, 1u);
  EXPECT_EQ(info.continue_token, "c1");
}

TEST(LivePage, ConfigMapDataAndEventMessagesAreMasked) {
  std::string cm = rewrite(
      R"({"items":[{"data":{"app.properties":"db.password=plantedpw\nport=80","other":"ok"}}]})",
      PageKind::kConfigMap);
  EXPECT_EQ(cm.find("plantedpw"), std::string::npos) << cm;
  EXPECT_NE(cm.find("port=80"), std::string::npos) << cm;
  std::string ev =
      rewrite(R"({"items":[{"message":"pull failed: token=evtsecret123","reason":"Failed"}]})",
              PageKind::kEvent);
  EXPECT_EQ(ev.find("evtsecret123"), std::string::npos) << ev;
  EXPECT_NE(ev.find("Failed"), std::string::npos) << ev;
}

TEST(LivePage, NotesWantedLogsOnly) {
  PageInfo info;
  rewrite(R"({"items":[
    {"metadata":{"namespace":"a","name":"crash"},"status":{"containerStatuses":[
      {"name":"app","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}}},
      {"name":"side","restartCount":0,"ready":true,"state":{"running":{}}}]}},
    {"metadata":{"namespace":"a","name":"exit"},"status":{"initContainerStatuses":[
      {"name":"init","restartCount":0,"state":{"terminated":{"exitCode":3}}}]}},
    {"metadata":{"namespace":"a","name":"ok"},"status":{"containerStatuses":[
      {"name":"app","restartCount":0,"state":{"terminated":{"exitCode":0}}}]}},
    {"metadata":{"namespace":"a","name":"unready"},"status":{"containerStatuses":[
      {"name":"app","restartCount":0,"ready":false,"state":{"running":{}}}]}},
    {"metadata":{"namespace":"a","name":"starting"},"status":{"containerStatuses":[
      {"name":"app","restartCount":0,"ready":false,"state":{"waiting":{"reason":"ContainerCreating"}}}]}}]})",
          PageKind::kPod, &info);
  ASSERT_EQ(info.wanted.size(), 3u);
  EXPECT_EQ(info.wanted[2].pod, "unready");
  EXPECT_FALSE(info.wanted[2].previous);
  EXPECT_EQ(info.wanted[0].pod, "crash");
  EXPECT_EQ(info.wanted[0].container, "app");
  EXPECT_TRUE(info.wanted[0].previous);
  EXPECT_EQ(info.wanted[1].pod, "exit");
  EXPECT_EQ(info.wanted[1].container, "init");
  EXPECT_FALSE(info.wanted[1].previous);
}

TEST(LivePage, NotesIngressControllersForTheirLogs) {
  PageInfo info;
  rewrite(R"({"items":[
    {"metadata":{"namespace":"ingress-nginx","name":"ctl"},"spec":{"containers":[
      {"name":"controller","image":"registry.k8s.io/ingress-nginx/controller:v1.11.2"}]}},
    {"metadata":{"namespace":"shop","name":"web"},"spec":{"containers":[
      {"name":"web","image":"nginx:1.27"}]}}]})",
          PageKind::kPod, &info);
  ASSERT_EQ(info.wanted.size(), 1u);
  EXPECT_EQ(info.wanted[0].pod, "ctl");
  EXPECT_FALSE(info.wanted[0].failing);
  EXPECT_FALSE(info.wanted[0].previous);
}

TEST(LivePage, RejectsWhatIsNotAList) {
  std::string out;
  PageInfo info;
  EXPECT_NE(append_page("{not json", PageKind::kGeneric, "", "", out, info), "");
  EXPECT_NE(append_page(R"({"items":"x"})", PageKind::kGeneric, "", "", out, info), "");
  EXPECT_EQ(out, "");
}

TEST(LivePage, RedactJsonTextMasksSecretManifests) {
  std::string out = redact_json_text(
      R"({"kind":"Secret","metadata":{"name":"s"},"data":{"k":"c2VjcmV0"},"stringData":{"p":"plain"}})");
  EXPECT_EQ(out.find("c2VjcmV0"), std::string::npos) << out;
  EXPECT_EQ(out.find("plain"), std::string::npos) << out;
  EXPECT_NE(out.find("\"k\":\"\""), std::string::npos) << out;
}

}  // namespace
}  // namespace ktriage
