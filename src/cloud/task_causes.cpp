#include "cloud/task_causes.h"

namespace ktriage::cloud {

namespace {

constexpr std::string_view kAuthFaq =
    "https://help.aliyun.com/en/ack/serverless-kubernetes/user-guide/authorization-management-faq";
constexpr std::string_view kScalability =
    "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "check-the-scalability-of-a-node-pool";
constexpr std::string_view kAddExisting =
    "https://www.alibabacloud.com/help/en/container-service-for-kubernetes/latest/"
    "add-existing-ecs-instances";

// Patterns are the catalog entries' exact strings (fault-catalog.md sections 1, 2 and 5).
// Refusals by RAM policy: the RAM analyzer checks them against the attached policies.
constexpr CauseRow kRam[] = {
    {"ACK-CREATE-RAM-USER-LACKS-CREATE-PERMISSION",
     R"((RAM|STSToken) policy Forbidden for action cs:CreateCluster)",
     "the RAM identity's policies do not allow cs:CreateCluster",
     "attach a custom policy allowing cs:CreateCluster and the list/read actions creation needs "
     "(AliyunVPCReadOnlyAccess at minimum); the account owner must also have authorised the "
     "service roles",
     kAuthFaq},
    {"ACK-RAM-POLICY-FORBIDDEN",
     R"((RAM|STSToken) policy Forbidden for action (cs|vpc|ecs|slb):\w+)",
     "the RAM identity's policies do not allow the action named in the refusal",
     "add the action to a custom policy attached to the user or role, or attach a suitable "
     "system policy",
     kAuthFaq},
    {"ACK-RAM-CANNOT-GRANT-RBAC-TO-OTHERS",
     R"(The current RAM user does not have management permissions|ErrorRamPolicyConfig|ForbiddenGrantPermissions|\bStatusForbidden\b)",
     "the identity may not grant cluster permissions to others (or the target has no RAM read "
     "permission on the cluster)",
     "give the granting user the administrator (cluster-admin) RBAC role on the cluster plus "
     "ram:List*, ram:AttachPolicyToUser, cs:GrantPermission and cs:GetUserPermissions; give the "
     "target user at least read-only RAM access to the cluster (GrantPermissions overwrites the "
     "target's existing permissions)",
     kAuthFaq},
};

constexpr CauseRow kRows[] = {
    {"ACK-CREATE-SERVICE-ROLE-NOT-AUTHORIZED",
     R"(Err\w*RoleNotAttach|MissingAuth\.Aliyuncs\w+Role|please complete the (cluster addon's service |security |edge cluster addon's service )?ramrole authorization at)",
     "a Container Service service role (AliyunCS*) is not authorised in this account",
     "sign in as the account owner (or a RAM user with AdministratorAccess), open the link in the "
     "error (or the RAM quick-authorisation page), authorise every role it lists, then retry; "
     "authorisation is once per account",
     kAuthFaq},
    {"ACK-RAM-CONSOLE-FEATURE-FORBIDDEN",
     R"(ForbiddenCheckControlPlaneLog|ForbiddenHelmUsage|ForbiddenRotateCert|ForbiddenUpdateKMSState|Forbidden get trigger)",
     "the user's predefined RBAC role on the cluster is too weak for this console feature",
     "grant the role the feature needs: administrator for Helm and certificate rotation, "
     "administrator or O&M engineer for control-plane logs and KMS, administrator, O&M engineer "
     "or developer for triggers",
     kAuthFaq},
    {"ACK-NODE-ADD-FORBIDDEN-RBAC", R"(ForbiddenAttachInstance)",
     "the RAM user or role lacks the administrator or O&M engineer RBAC role on the cluster",
     "grant the administrator or O&M engineer RBAC role on the cluster (ACK console, "
     "Authorizations)",
     kAuthFaq},
    {"ACK-CREATE-INSTANCE-TYPE-UNAVAILABLE",
     R"(Instance type is out of stock|Instance type not deployed|WithoutStock|SoldOut|ClosedWithStock|OperationDenied\.NoStock|InvalidInstanceType\.ValueNotSupported)",
     "the instance type is sold out or not offered in the selected zones",
     "configure several instance types and vSwitches in different zones, pick types with "
     "WithStock (ECS DescribeAvailableResource), or retry later for a temporary shortage",
     kScalability},
    {"ACK-CREATE-NODEPOOL-CONFIG-MISMATCH",
     R"(Image and instance type mismatch|System disk and instance type mismatch|Data disk and instance type mismatch|Instance type does not support IPv6|vSwitch does not exist)",
     "the image, disk category or IPv6 setting does not suit the instance type, or a vSwitch was "
     "deleted",
     "change the instance types, disk category or image; replace deleted vSwitches in the node "
     "pool",
     kScalability},
    {"ACK-CREATE-VSWITCH-OR-CIDR-PROBLEM", R"(InvalidVSwitchId\.IpNotEnough)",
     "the vSwitch has no free IP addresses left",
     "choose larger or additional vSwitches (or add a secondary VPC CIDR); plan pod and service "
     "CIDRs that overlap neither the VPC nor other clusters before creation",
     "https://alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createvswitch"},
    {"ACK-CREATE-QUOTA-EXCEEDED",
     R"(QuotaExceeded(\.\w+)?|Insufficient quota on SLB (instances in a VPC|backend servers|listeners))",
     "an account or VPC quota is used up",
     "request a quota increase in Quota Center or release unused resources; Flannel clusters "
     "use one VPC route entry per node (200 per route table by default): use Terway for large "
     "clusters",
     "https://www.alibabacloud.com/help/en/cs/user-guide/cluster-inspection-items-and-solutions"},
    {"ACK-CREATE-ACCOUNT-OVERDUE", R"("?LockReason"?\s*[:=]\s*"?financial)",
     "the account has an overdue payment: ECS refuses to create instances and disks",
     "settle the overdue amount in the billing console, then retry",
     "https://help.aliyun.com/en/ecs/developer-reference/"
     "api-behavior-for-accounts-that-have-overdue-payments"},
    {"ACK-NODE-ADD-LOGIN-CREDENTIAL-INVALID",
     R"(You must specify this parameter or key_pair|(?i:invalid\W+(login\W+)?(password|key_?pair))|(?i:(password|key_?pair)\W+(is\W+)?invalid))",
     "the node's login credential (password or key pair) is missing or invalid",
     "pass a password of 8-30 characters with three of upper case, lower case, digits and "
     "special characters (no backslash or double quote), or the name of an existing key pair",
     kAddExisting},
    {"ACK-NODE-ADD-CANNOT-REACH-CONTROL-PLANE",
     R"(Unable to register node with API server|dial tcp [0-9.]+:6443: (i/o timeout|connect: connection refused|connect: no route to host))",
     "the new node cannot reach the API server on 6443",
     "put the node in the cluster's security group or add the rules it needs; allow outbound "
     "traffic to the API server and 100.64.0.0/10",
     "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
     "configure-security-group-rules-to-enforce-access-control-on-ack-clusters"},
    // Last: any specific code above explains a request better than the generic parameter error.
    {"ACK-CREATE-INVALID-PARAMETERS", R"(\bInvalidParameter(\.Format)?\b|\bErrorClusterNotFound\b)",
     "the request has an incompatible parameter combination or malformed nested JSON",
     "build the cluster once in the console and copy \"Equivalent Code\" / \"Generate API Request "
     "Parameters\" for a valid body; serialise add-on config with a JSON encoder; for "
     "ErrorClusterNotFound use the cluster's region",
     "https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/developer-reference/"
     "api-cs-2015-12-15-createcluster"},
};

}  // namespace

std::span<const CauseRow> cs_record_causes() { return kRows; }
std::span<const CauseRow> ram_refusal_causes() { return kRam; }

}  // namespace ktriage::cloud
