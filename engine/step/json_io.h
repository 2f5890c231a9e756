// Checked reading of JSON job fields, with messages that name the field.
//
// Every reader returns false and fills `err` instead of throwing or
// asserting, so a malformed job can only ever produce a clear message.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tensor.h"

namespace sw {

using Json = nlohmann::json;

// Rejects keys outside `known` ("unknown field 'strid' (known: ...)").
bool json_check_keys(const Json& obj, const std::vector<std::string>& known, std::string& err);

// An integer-valued number in [lo, hi].
bool json_int(const Json& v, const std::string& name, long long lo, long long hi, long long& out,
              std::string& err);
// A finite number.
bool json_number(const Json& v, const std::string& name, double& out, std::string& err);
bool json_bool(const Json& v, const std::string& name, bool& out, std::string& err);
bool json_string(const Json& v, const std::string& name, std::string& out, std::string& err);

// An array of finite numbers with at most `max_len` entries.
bool json_numbers(const Json& v, const std::string& name, size_t max_len, std::vector<float>& out,
                  std::string& err);

// Either one integer (used for both directions) or a pair [rows, columns].
bool json_int_pair(const Json& v, const std::string& name, long long lo, long long hi, int out[2],
                   std::string& err);

// {"shape":[...], "data":[...]} with `rank` dimensions, each in [1, max_dim], at most
// max_numel elements, data length equal to the product of the shape.
bool json_tensor(const Json& v, const std::string& name, size_t rank, int max_dim,
                 int64_t max_numel, Tensor& out, std::string& err);

// A float as JSON with its shortest exact decimal form (0.1f -> 0.1, not 0.10000000149).
Json json_float(float v);
Json json_floats(const std::vector<float>& v);
Json json_tensor_out(const Tensor& t);

}  // namespace sw
