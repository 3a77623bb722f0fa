// Minimal stand-in for ankerl/unordered_dense.h (written for this project).
//
// The real header-only library is not packaged by Debian. mediasoup 3.27 uses
// only three names from it:
//
//   ankerl::unordered_dense::map<Key, T[, Hash]>   (also with a custom Hash)
//   ankerl::unordered_dense::set<Key>
//   ankerl::unordered_dense::hash<T>{}(value)      (integers, enums, pointers;
//                                                    combined per field)
//
// and only through the std::unordered_map/set-compatible part of their API
// (find, emplace, insert, try_emplace, erase, at, operator[], contains, count,
// size, clear, reserve, iteration). So map/set are aliases of the standard
// containers here, and hash<T> mixes integral, enum and pointer values with a
// 64-bit finalizer (std::hash of an integer is the identity on libstdc++, which
// would make the per-field hash combining in mediasoup weak) and falls back to
// std::hash<T> for everything else (strings, ...).
//
// Differences from the real library that do not matter to mediasoup: element
// storage is node-based rather than a dense vector (iteration order is
// unspecified either way; std containers keep references stable, which is the
// stricter guarantee), and the extra API of the real containers (values(),
// extract(), segmented variants, ...) is not provided.

#ifndef NOC_ANKERL_UNORDERED_DENSE_SHIM_H
#define NOC_ANKERL_UNORDERED_DENSE_SHIM_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl
{
	namespace unordered_dense
	{
		namespace detail
		{
			// 64-bit mixing function (the splitmix64 / MurmurHash3 fmix64 style
			// finalizer): every input bit affects every output bit.
			inline std::uint64_t mix64(std::uint64_t x) noexcept
			{
				x ^= x >> 30;
				x *= 0xbf58476d1ce4e5b9ULL;
				x ^= x >> 27;
				x *= 0x94d049bb133111ebULL;
				x ^= x >> 31;

				return x;
			}
		} // namespace detail

		template<typename T, typename Enable = void>
		struct hash
		{
			std::size_t operator()(const T& value) const
			  noexcept(noexcept(std::hash<T>{}(std::declval<const T&>())))
			{
				return std::hash<T>{}(value);
			}
		};

		template<typename T>
		struct hash<T, typename std::enable_if<std::is_integral<T>::value || std::is_enum<T>::value>::type>
		{
			using is_avalanching = void;

			std::size_t operator()(const T& value) const noexcept
			{
				return static_cast<std::size_t>(detail::mix64(static_cast<std::uint64_t>(value)));
			}
		};

		template<typename T>
		struct hash<T*>
		{
			using is_avalanching = void;

			std::size_t operator()(T* value) const noexcept
			{
				return static_cast<std::size_t>(
				  detail::mix64(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(value))));
			}
		};

		template<
		  class Key,
		  class T,
		  class Hash      = hash<Key>,
		  class KeyEqual  = std::equal_to<Key>,
		  class Allocator = std::allocator<std::pair<const Key, T>>>
		using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

		template<
		  class Key,
		  class Hash      = hash<Key>,
		  class KeyEqual  = std::equal_to<Key>,
		  class Allocator = std::allocator<Key>>
		using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
	} // namespace unordered_dense
} // namespace ankerl

#endif // NOC_ANKERL_UNORDERED_DENSE_SHIM_H
