// metav1.Status bodies as kube-apiserver writes them for errors.
#pragma once

#include <string>
#include <string_view>

namespace ktriage::testing {

/// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":...,
///  "reason":...,"details":{...},"code":...}. `details_json` is an object's members without
/// braces ("" for an empty details object); no details member when `with_details` is false.
std::string status_json(int code, std::string_view reason, std::string_view message,
                        std::string_view details_json = "", bool with_details = true);
/// details members for an object: "name":NAME,"kind":PLURAL (and "group" when not core).
std::string status_details(std::string_view name, std::string_view group, std::string_view plural);

}  // namespace ktriage::testing
