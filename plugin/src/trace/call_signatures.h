// The system calls' parameters and the ABI's enum names, generated from the
// guest SDK's headers (plugin/gen_call_signatures.py) for the trace.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace mvemu::trace {

enum class ParamKind {
    handle,       // a handle value
    number,       // an integer (size, IRQ, flag, ...)
    enum_value,   // shown by name
    in_pointer,   // data the call reads
    out_pointer,  // where the call writes
    struct_ptr,   // a structure the call reads (some are previewed)
};

struct Param {
    std::string_view name;
    ParamKind kind;
    std::string_view type;  // the enum or struct name, if any
};

struct CallSignature {
    std::string_view name;
    std::vector<Param> params;
};

struct EnumNames {
    std::string_view type;
    std::vector<std::pair<uint32_t, std::string_view>> values;
};

const std::vector<EnumNames>& enum_tables();
const std::vector<CallSignature>& call_signatures();

}  // namespace mvemu::trace
