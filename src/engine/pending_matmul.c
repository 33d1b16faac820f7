/* TEMPORARY while the matmul ops are written: delete this file when they land. */
#include "engine/engine_internal.h"

ia_status ia_check_matmul(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_matmul(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_matmul(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
