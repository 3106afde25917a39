// generate_tls_files: a cluster CA, a server and a client certificate it signs, and an unrelated
// CA with its own server certificate, written as PEM with OpenSSL 3's C API.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "apiserver/test_apiserver.h"

namespace ktriage::testing {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Key = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("generate_tls_files: " + what);
}

Key make_key() {
  Key key(EVP_EC_gen("P-256"));
  if (!key) fail("EC P-256 key generation failed");
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) fail(std::string("bad extension ") + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

struct CertSpec {
  const char* cn;
  const char* org = nullptr;
  bool ca = false;
  bool server = false;  // SAN IP:127.0.0.1, DNS:localhost; serverAuth
  bool client = false;  // clientAuth
};

// Signs with `issuer_key` as `issuer` (self-signed when issuer is null).
Cert make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  Cert cert(X509_new());
  if (!cert) fail("X509_new");
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) fail("RAND_bytes");
  serial_bytes[0] &= 0x7f;  // positive, as Go's x509 requires
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (spec.org != nullptr) {
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(spec.org), -1, -1, 0);
  }
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.cn), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
  } else {
    add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(cert.get(), signer, NID_ext_key_usage, spec.server ? "serverAuth" : "clientAuth");
    if (spec.server)
      add_ext(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    fail(std::string("signing ") + spec.cn);
  }
  return cert;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::unique_ptr<std::FILE, FileCloser> open_for_write(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "wb"));
  if (!f) fail("cannot write " + path);
  return f;
}

void write_cert(const std::string& path, X509* cert) {
  auto f = open_for_write(path);
  if (PEM_write_X509(f.get(), cert) != 1) fail("cannot write " + path);
}

void write_key(const std::string& path, EVP_PKEY* key) {
  auto f = open_for_write(path);
  if (PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    fail("cannot write " + path);
  }
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace

TlsFiles generate_tls_files(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail("cannot create " + dir + ": " + ec.message());
  TlsFiles f;
  f.dir = dir;
  f.ca_cert = dir + "/ca.crt";
  f.ca_key = dir + "/ca.key";
  f.server_cert = dir + "/server.crt";
  f.server_key = dir + "/server.key";
  f.client_cert = dir + "/client.crt";
  f.client_key = dir + "/client.key";
  f.other_ca_cert = dir + "/other-ca.crt";
  f.other_server_cert = dir + "/other-server.crt";
  f.other_server_key = dir + "/other-server.key";

  Key ca_key = make_key();
  Cert ca = make_cert({.cn = "ktriage-test-ca", .ca = true}, ca_key.get(), nullptr, nullptr);
  Key server_key = make_key();
  Cert server =
      make_cert({.cn = "kube-apiserver", .server = true}, server_key.get(), ca.get(), ca_key.get());
  Key client_key = make_key();
  Cert client = make_cert({.cn = "ktriage-test", .org = "system:masters", .client = true},
                          client_key.get(), ca.get(), ca_key.get());
  Key other_ca_key = make_key();
  Cert other_ca =
      make_cert({.cn = "unrelated-ca", .ca = true}, other_ca_key.get(), nullptr, nullptr);
  Key other_server_key = make_key();
  Cert other_server = make_cert({.cn = "kube-apiserver", .server = true}, other_server_key.get(),
                                other_ca.get(), other_ca_key.get());

  write_cert(f.ca_cert, ca.get());
  write_key(f.ca_key, ca_key.get());
  write_cert(f.server_cert, server.get());
  write_key(f.server_key, server_key.get());
  write_cert(f.client_cert, client.get());
  write_key(f.client_key, client_key.get());
  write_cert(f.other_ca_cert, other_ca.get());
  write_cert(f.other_server_cert, other_server.get());
  write_key(f.other_server_key, other_server_key.get());
  return f;
}

}  // namespace ktriage::testing
