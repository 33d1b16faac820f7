# Writes build_info.c with the current git commit; rewrites it only when its
# text changes, so an unchanged tree does not relink.
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE IA_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0 OR IA_GIT_COMMIT STREQUAL "")
  set(IA_GIT_COMMIT "unknown")
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT dirty STREQUAL "")
    string(APPEND IA_GIT_COMMIT "-dirty")
  endif()
endif()
# The branch ("" on a detached HEAD or outside git).
execute_process(COMMAND git -C "${SOURCE_DIR}" symbolic-ref --short -q HEAD
                OUTPUT_VARIABLE IA_GIT_BRANCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
string(REPLACE "\"" "\\\"" IA_C_FLAGS "${IA_C_FLAGS}")
configure_file("${SRC}" "${OUT}.tmp" @ONLY)
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
