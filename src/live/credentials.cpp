// STUB until the kubeconfig branch lands.
#include "live/rest_config.h"
namespace ktriage {
struct CredentialSource::State {
  RestConfig c;
};
CredentialSource::CredentialSource(RestConfig c) : state_(new State{std::move(c)}) {}
CredentialSource::~CredentialSource() = default;
Expected<Credentials, std::string> CredentialSource::get() {
  Credentials out;
  out.token = state_->c.token;
  return out;
}
void CredentialSource::invalidate() {}
int CredentialSource::exec_runs() const { return 0; }
}  // namespace ktriage
