namespace Concord.Domain.Duplicates;

/// <summary>
/// A MinHash signature: for each of <see cref="Size"/> fixed, seeded hash functions, the smallest
/// hash over the text's shingles. The share of equal slots estimates the Jaccard similarity of
/// the two shingle sets (standard error about 1/sqrt(128) ≈ 0.09). The seeds are constants, so
/// a signature stored today compares with one computed on another node next year; change them
/// only with <see cref="Version"/>, which makes the server re-sign every matter.
/// </summary>
public sealed class MinHash
{
    public const int Size = 128;

    /// <summary>The version of shingling + hashing; stored with each signature.</summary>
    public const int Version = 1;

    private static readonly ulong[] Seeds = MakeSeeds();

    private readonly uint[] slots;

    private MinHash(uint[] slots) => this.slots = slots;

    /// <summary>True when the text had no shingle at all (nothing to compare).</summary>
    public bool IsEmpty => slots.All(s => s == uint.MaxValue);

    public static MinHash Of(string text, Shingler? shingler = null) => Of((shingler ?? TextShingles.Default)(text));

    public static MinHash Of(IEnumerable<string> shingles)
    {
        var slots = new uint[Size];
        Array.Fill(slots, uint.MaxValue);
        foreach (var shingle in shingles)
        {
            var h = Fnv1a(shingle);
            for (var i = 0; i < Size; i++)
            {
                var v = (uint)(Mix(h ^ Seeds[i]) >> 32);
                if (v < slots[i])
                {
                    slots[i] = v;
                }
            }
        }

        return new MinHash(slots);
    }

    /// <summary>The estimated Jaccard similarity in [0, 1]; 0 when either text had nothing to compare.</summary>
    public double Similarity(MinHash other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return 0;
        }

        var equal = 0;
        for (var i = 0; i < Size; i++)
        {
            if (slots[i] == other.slots[i])
            {
                equal++;
            }
        }

        return equal / (double)Size;
    }

    /// <summary>512 bytes, little-endian: the stored form.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Size * 4];
        for (var i = 0; i < Size; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), slots[i]);
        }

        return bytes;
    }

    public static MinHash FromBytes(byte[] bytes)
    {
        if (bytes.Length != Size * 4)
        {
            throw new ArgumentException($"A signature has {Size * 4} bytes, not {bytes.Length}.", nameof(bytes));
        }

        var slots = new uint[Size];
        for (var i = 0; i < Size; i++)
        {
            slots[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        }

        return new MinHash(slots);
    }

    private static ulong[] MakeSeeds()
    {
        // SplitMix64 from a fixed start: the same seeds on every machine and every run.
        var seeds = new ulong[Size];
        var state = 0x436F6E636F726431UL; // "Concord1"
        for (var i = 0; i < Size; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            seeds[i] = Mix(state);
        }

        return seeds;
    }

    /// <summary>SplitMix64's finalizer: a strong 64-bit mix.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes (string.GetHashCode is not).</summary>
    private static ulong Fnv1a(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }
}
