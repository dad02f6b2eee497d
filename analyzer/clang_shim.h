/*
 * clang_shim: libclang, loaded when the first parser is made rather than
 * when locklint starts.  A warm run whose translation units all come from
 * the cache never needs the parser, and loading and relocating libclang
 * (it carries LLVM) is most of what such a run would otherwise cost.
 *
 * Every libclang function the frontend uses is listed once below; the
 * frontend's files include this header after <clang-c/Index.h>, and each
 * name then calls through a pointer filled by ll_clang_load().  Nothing
 * else in locklint calls libclang.
 */
#ifndef LL_CLANG_SHIM_H
#define LL_CLANG_SHIM_H

#include <clang-c/Index.h>
#include <stddef.h>

/* Loads libclang once (thread-safe).  Returns 0, or -1 with a message that
 * ll_clang_error() returns. */
int ll_clang_load(void);
const char *ll_clang_error(void);

#define LL_CLANG_FUNCTIONS(X)                                                                      \
    X(clang_Cursor_Evaluate)                                                                       \
    X(clang_Cursor_getArgument)                                                                    \
    X(clang_Cursor_getNumArguments)                                                                \
    X(clang_Cursor_getStorageClass)                                                                \
    X(clang_Cursor_getVarDeclInitializer)                                                          \
    X(clang_Cursor_hasAttrs)                                                                       \
    X(clang_Cursor_isFunctionInlined)                                                              \
    X(clang_getCursorVisibility)                                                                   \
    X(clang_getCursorLinkage)                                                                      \
    X(clang_Cursor_isNull)                                                                         \
    X(clang_EvalResult_dispose)                                                                    \
    X(clang_EvalResult_getAsLongLong)                                                              \
    X(clang_EvalResult_getKind)                                                                    \
    X(clang_File_isEqual)                                                                          \
    X(clang_File_tryGetRealPathName)                                                               \
    X(clang_Location_isInSystemHeader)                                                             \
    X(clang_createIndex)                                                                           \
    X(clang_disposeDiagnostic)                                                                     \
    X(clang_disposeIndex)                                                                          \
    X(clang_disposeString)                                                                         \
    X(clang_disposeTokens)                                                                         \
    X(clang_disposeTranslationUnit)                                                                \
    X(clang_equalCursors)                                                                          \
    X(clang_equalLocations)                                                                        \
    X(clang_formatDiagnostic)                                                                      \
    X(clang_getArrayElementType)                                                                   \
    X(clang_getPointeeType)                                                                        \
    X(clang_getUnqualifiedType)                                                                    \
    X(clang_Type_visitFields)                                                                      \
    X(clang_getBinaryOperatorKindSpelling)                                                         \
    X(clang_getCString)                                                                            \
    X(clang_getCanonicalCursor)                                                                    \
    X(clang_equalTypes)                                                                            \
    X(clang_getCanonicalType)                                                                      \
    X(clang_getCursorBinaryOperatorKind)                                                           \
    X(clang_getCursorDefinition)                                                                   \
    X(clang_getCursorExtent)                                                                       \
    X(clang_getCursorKind)                                                                         \
    X(clang_getCursorLocation)                                                                     \
    X(clang_getCursorReferenced)                                                                   \
    X(clang_getCursorSemanticParent)                                                               \
    X(clang_getCursorSpelling)                                                                     \
    X(clang_getCursorTLSKind)                                                                      \
    X(clang_getCursorType)                                                                         \
    X(clang_getCursorUSR)                                                                          \
    X(clang_getCursorUnaryOperatorKind)                                                            \
    X(clang_getDiagnostic)                                                                         \
    X(clang_getDiagnosticSeverity)                                                                 \
    X(clang_getExpansionLocation)                                                                  \
    X(clang_getFile)                                                                               \
    X(clang_getFileContents)                                                                       \
    X(clang_getFileName)                                                                           \
    X(clang_getInclusions)                                                                         \
    X(clang_getLocationForOffset)                                                                  \
    X(clang_getNullCursor)                                                                         \
    X(clang_getNumDiagnostics)                                                                     \
    X(clang_getRange)                                                                              \
    X(clang_getRangeEnd)                                                                           \
    X(clang_getRangeStart)                                                                         \
    X(clang_getResultType)                                                                         \
    X(clang_getSpellingLocation)                                                                   \
    X(clang_getToken)                                                                              \
    X(clang_getTokenKind)                                                                          \
    X(clang_getTokenLocation)                                                                      \
    X(clang_getTokenSpelling)                                                                      \
    X(clang_getTranslationUnitCursor)                                                              \
    X(clang_getTypeSpelling)                                                                       \
    X(clang_getTypeDeclaration)                                                                    \
    X(clang_getTypedefDeclUnderlyingType)                                                          \
    X(clang_Type_getNamedType)                                                                     \
    X(clang_getUnaryOperatorKindSpelling)                                                          \
    X(clang_isAttribute)                                                                           \
    X(clang_isConstQualifiedType)                                                                  \
    X(clang_isVolatileQualifiedType)                                                               \
    X(clang_isCursorDefinition)                                                                    \
    X(clang_isExpression)                                                                          \
    X(clang_isFunctionTypeVariadic)                                                                \
    X(clang_parseTranslationUnit2)                                                                 \
    X(clang_tokenize)                                                                              \
    X(clang_visitChildren)

#define LL_CLANG_POINTER(name) extern __typeof__(name) *ll_ptr_##name;
LL_CLANG_FUNCTIONS(LL_CLANG_POINTER)
#undef LL_CLANG_POINTER

#ifndef LL_CLANG_SHIM_IMPL
#define clang_Cursor_Evaluate (*ll_ptr_clang_Cursor_Evaluate)
#define clang_Cursor_getArgument (*ll_ptr_clang_Cursor_getArgument)
#define clang_Cursor_getNumArguments (*ll_ptr_clang_Cursor_getNumArguments)
#define clang_Cursor_getStorageClass (*ll_ptr_clang_Cursor_getStorageClass)
#define clang_Cursor_getVarDeclInitializer (*ll_ptr_clang_Cursor_getVarDeclInitializer)
#define clang_Cursor_hasAttrs (*ll_ptr_clang_Cursor_hasAttrs)
#define clang_Cursor_isFunctionInlined (*ll_ptr_clang_Cursor_isFunctionInlined)
#define clang_getCursorVisibility (*ll_ptr_clang_getCursorVisibility)
#define clang_getCursorLinkage (*ll_ptr_clang_getCursorLinkage)
#define clang_Cursor_isNull (*ll_ptr_clang_Cursor_isNull)
#define clang_EvalResult_dispose (*ll_ptr_clang_EvalResult_dispose)
#define clang_EvalResult_getAsLongLong (*ll_ptr_clang_EvalResult_getAsLongLong)
#define clang_EvalResult_getKind (*ll_ptr_clang_EvalResult_getKind)
#define clang_File_isEqual (*ll_ptr_clang_File_isEqual)
#define clang_File_tryGetRealPathName (*ll_ptr_clang_File_tryGetRealPathName)
#define clang_Location_isInSystemHeader (*ll_ptr_clang_Location_isInSystemHeader)
#define clang_createIndex (*ll_ptr_clang_createIndex)
#define clang_disposeDiagnostic (*ll_ptr_clang_disposeDiagnostic)
#define clang_disposeIndex (*ll_ptr_clang_disposeIndex)
#define clang_disposeString (*ll_ptr_clang_disposeString)
#define clang_disposeTokens (*ll_ptr_clang_disposeTokens)
#define clang_disposeTranslationUnit (*ll_ptr_clang_disposeTranslationUnit)
#define clang_equalCursors (*ll_ptr_clang_equalCursors)
#define clang_equalLocations (*ll_ptr_clang_equalLocations)
#define clang_formatDiagnostic (*ll_ptr_clang_formatDiagnostic)
#define clang_getArrayElementType (*ll_ptr_clang_getArrayElementType)
#define clang_getPointeeType (*ll_ptr_clang_getPointeeType)
#define clang_getUnqualifiedType (*ll_ptr_clang_getUnqualifiedType)
#define clang_Type_visitFields (*ll_ptr_clang_Type_visitFields)
#define clang_getBinaryOperatorKindSpelling (*ll_ptr_clang_getBinaryOperatorKindSpelling)
#define clang_getCString (*ll_ptr_clang_getCString)
#define clang_getCanonicalCursor (*ll_ptr_clang_getCanonicalCursor)
#define clang_equalTypes (*ll_ptr_clang_equalTypes)
#define clang_getCanonicalType (*ll_ptr_clang_getCanonicalType)
#define clang_getCursorBinaryOperatorKind (*ll_ptr_clang_getCursorBinaryOperatorKind)
#define clang_getCursorDefinition (*ll_ptr_clang_getCursorDefinition)
#define clang_getCursorExtent (*ll_ptr_clang_getCursorExtent)
#define clang_getCursorKind (*ll_ptr_clang_getCursorKind)
#define clang_getCursorLocation (*ll_ptr_clang_getCursorLocation)
#define clang_getCursorReferenced (*ll_ptr_clang_getCursorReferenced)
#define clang_getCursorSemanticParent (*ll_ptr_clang_getCursorSemanticParent)
#define clang_getCursorSpelling (*ll_ptr_clang_getCursorSpelling)
#define clang_getCursorTLSKind (*ll_ptr_clang_getCursorTLSKind)
#define clang_getCursorType (*ll_ptr_clang_getCursorType)
#define clang_getCursorUSR (*ll_ptr_clang_getCursorUSR)
#define clang_getCursorUnaryOperatorKind (*ll_ptr_clang_getCursorUnaryOperatorKind)
#define clang_getDiagnostic (*ll_ptr_clang_getDiagnostic)
#define clang_getDiagnosticSeverity (*ll_ptr_clang_getDiagnosticSeverity)
#define clang_getExpansionLocation (*ll_ptr_clang_getExpansionLocation)
#define clang_getFile (*ll_ptr_clang_getFile)
#define clang_getFileContents (*ll_ptr_clang_getFileContents)
#define clang_getFileName (*ll_ptr_clang_getFileName)
#define clang_getInclusions (*ll_ptr_clang_getInclusions)
#define clang_getLocationForOffset (*ll_ptr_clang_getLocationForOffset)
#define clang_getNullCursor (*ll_ptr_clang_getNullCursor)
#define clang_getNumDiagnostics (*ll_ptr_clang_getNumDiagnostics)
#define clang_getRange (*ll_ptr_clang_getRange)
#define clang_getRangeEnd (*ll_ptr_clang_getRangeEnd)
#define clang_getRangeStart (*ll_ptr_clang_getRangeStart)
#define clang_getResultType (*ll_ptr_clang_getResultType)
#define clang_getSpellingLocation (*ll_ptr_clang_getSpellingLocation)
#define clang_getToken (*ll_ptr_clang_getToken)
#define clang_getTokenKind (*ll_ptr_clang_getTokenKind)
#define clang_getTokenLocation (*ll_ptr_clang_getTokenLocation)
#define clang_getTokenSpelling (*ll_ptr_clang_getTokenSpelling)
#define clang_getTranslationUnitCursor (*ll_ptr_clang_getTranslationUnitCursor)
#define clang_getTypeSpelling (*ll_ptr_clang_getTypeSpelling)
#define clang_getTypeDeclaration (*ll_ptr_clang_getTypeDeclaration)
#define clang_getTypedefDeclUnderlyingType (*ll_ptr_clang_getTypedefDeclUnderlyingType)
#define clang_Type_getNamedType (*ll_ptr_clang_Type_getNamedType)
#define clang_getUnaryOperatorKindSpelling (*ll_ptr_clang_getUnaryOperatorKindSpelling)
#define clang_isAttribute (*ll_ptr_clang_isAttribute)
#define clang_isConstQualifiedType (*ll_ptr_clang_isConstQualifiedType)
#define clang_isVolatileQualifiedType (*ll_ptr_clang_isVolatileQualifiedType)
#define clang_isCursorDefinition (*ll_ptr_clang_isCursorDefinition)
#define clang_isExpression (*ll_ptr_clang_isExpression)
#define clang_isFunctionTypeVariadic (*ll_ptr_clang_isFunctionTypeVariadic)
#define clang_parseTranslationUnit2 (*ll_ptr_clang_parseTranslationUnit2)
#define clang_tokenize (*ll_ptr_clang_tokenize)
#define clang_visitChildren (*ll_ptr_clang_visitChildren)
#endif

#endif
